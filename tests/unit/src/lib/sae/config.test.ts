import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { activeAbove, checkSaeConfig, SAE_ARCHITECTURES, saeConfig, SAE_DEFAULTS, type SaeConfig } from "../../../../../src/lib/sae/config.js";

const topk = saeConfig({ architecture: "topk", dIn: 32, dSae: 32, k: 4 });
const kl = saeConfig({ architecture: "kl", dIn: 8, dSae: 16, rho: 0.05, beta: 3 });
const l1 = saeConfig({ architecture: "l1", dIn: 8, dSae: 16, l1Coefficient: 1 });
const bad = (config: SaeConfig, change: Record<string, unknown>) => checkSaeConfig({ ...config, ...change } as SaeConfig);

describe("SAE config", () => {
  test("saeConfig fills the defaults, and kAux = dIn / 2 with OpenAI's 1/32 for the TopK variants", () => {
    assert.equal(checkSaeConfig(topk), null);
    assert.equal(topk.learningRate, SAE_DEFAULTS.learningRate);
    assert.equal(topk.inputNormalization, "mean-norm");
    assert.equal(topk.resample, null);
    assert.ok(!("auxCoefficient" in l1) && !("kAux" in l1), "an l1 config carries no TopK settings");
    assert.equal(topk.architecture === "topk" && topk.kAux, 16);
    assert.equal(topk.architecture === "topk" && topk.auxCoefficient, 1 / 32);
    const odd = saeConfig({ architecture: "batchtopk", dIn: 5, dSae: 20, k: 2 });
    assert.equal(odd.architecture === "batchtopk" && odd.kAux, 3);
    const chosen = saeConfig({ architecture: "topk", dIn: 32, dSae: 64, k: 4, kAux: 7 });
    assert.equal(chosen.architecture === "topk" && chosen.kAux, 7);
  });

  test("bad values give one message naming the value", () => {
    assert.equal(bad(l1, { dSae: 0 }), "dSae (the dictionary size) must be a positive integer, found 0");
    assert.equal(bad(l1, { dIn: 2.5 }), "dIn (the input width) must be a positive integer, found 2.5");
    assert.equal(bad(l1, { l1Coefficient: -1 }), "l1Coefficient must be a finite number >= 0, found -1");
    assert.equal(bad(topk, { k: 40 }), "k (40) must be at most the dictionary size (32)");
    assert.equal(bad(topk, { k: 0 }), "k (active latents per input) must be a positive integer, found 0");
    assert.equal(bad(topk, { kAux: 33 }), "kAux (33) must be at most the dictionary size (32)");
    assert.equal(bad(topk, { auxCoefficient: -0.5 }), "auxCoefficient must be a finite number >= 0, found -0.5");
    for (const rho of [0, 1, 1.5, -0.1, Number.NaN]) {
      assert.equal(bad(kl, { rho }), `rho (the target firing rate) must be strictly between 0 and 1, found ${rho}`);
    }
    assert.equal(bad(kl, { beta: -3 }), "beta (the KL penalty's weight) must be a finite number >= 0, found -3");
    assert.equal(
      bad(l1, { architecture: "gated" }),
      `architecture must be one of ${SAE_ARCHITECTURES.map((a) => JSON.stringify(a)).join(", ")}, found "gated"`,
    );
    assert.equal(bad(l1, { learningRate: 0 }), "learningRate must be a finite number > 0, found 0");
    assert.equal(bad(l1, { batchSize: -4 }), "batchSize must be a positive integer, found -4");
    assert.equal(bad(l1, { warmupSteps: -1 }), "warmupSteps must be an integer >= 0, found -1");
    assert.equal(bad(l1, { resample: { every: 0, sampleSize: 10 } }), "resample.every must be a positive integer (steps), found 0");
    assert.equal(bad(l1, { inputNormalization: "layer" }), 'inputNormalization must be one of "none", "mean-norm", found "layer"');
    assert.equal(bad(l1, { seed: 0.5 }), "seed must be an integer, found 0.5");
  });

  test("saeConfig throws the message", () => {
    assert.throws(
      () => saeConfig({ architecture: "topk", dIn: 32, dSae: 32, k: 40 }),
      /^Error: SAE config: k \(40\) must be at most the dictionary size \(32\)$/,
    );
  });

  test("codes count as active above 0, or above 0.5 for sigmoid codes", () => {
    assert.equal(activeAbove("l1"), 0);
    assert.equal(activeAbove("topk"), 0);
    assert.equal(activeAbove("batchtopk"), 0);
    assert.equal(activeAbove("kl"), 0.5);
  });
});
