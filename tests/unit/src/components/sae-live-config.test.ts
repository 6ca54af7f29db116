import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { liveConfig } from "../../../../src/components/sae/live.js";

const error = (result: ReturnType<typeof liveConfig>) => ("error" in result ? result.error : null);

describe("the live SAE's controls", () => {
  test("good values give the config the trainer runs", () => {
    const topk = liveConfig(32, "topk", "256", "4", "300");
    assert.ok(!("error" in topk));
    assert.equal(topk.architecture, "topk");
    assert.equal(topk.dSae, 256);
    assert.equal(topk.steps, 300);
    assert.equal((topk as { k: number }).k, 4);
    const kl = liveConfig(32, "kl", 64, 0.05, 10);
    assert.ok(!("error" in kl));
    assert.equal((kl as { rho: number }).rho, 0.05);
  });

  test("each bad value gets a message in the page's words, naming the value", () => {
    assert.equal(error(liveConfig(32, "topk", "0", "4", "300")), "Latents must be a whole number from 1 to 2048; found 0.");
    assert.equal(error(liveConfig(32, "topk", "12.5", "4", "300")), "Latents must be a whole number from 1 to 2048; found 12.5.");
    assert.equal(error(liveConfig(32, "topk", "64", "65", "300")), "Sparsity (k, the latents kept per input) must be a whole number from 1 to 64; found 65.");
    assert.equal(error(liveConfig(32, "l1", "64", "-1", "300")), "Sparsity (the L1 coefficient λ) must be from 0 to 100; found -1.");
    assert.match(error(liveConfig(32, "kl", "64", "1.5", "300")) ?? "", /^Sparsity \(the target rate ρ .*\) must be from 0 to 1; found 1\.5\.$/);
    assert.match(error(liveConfig(32, "kl", "64", "1", "300")) ?? "", /must be strictly between 0 and 1 \(a sigmoid code's firing rate\); found 1\.$/);
    assert.equal(error(liveConfig(32, "topk", "64", "4", "x")), 'Steps must be a whole number from 1 to 100000; found "x".');
    assert.equal(error(liveConfig(32, "topk", "64", "4", "")), "Steps must be a whole number from 1 to 100000; found nothing.");
  });
});
