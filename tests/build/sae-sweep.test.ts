// The SAE sweep files of the built site against an independent recomputation
// (tests/e2e/independent-sae.ts) from the exported classifier and each SAE's download bytes: L0,
// fraction of variance explained, dead latents and the spliced test accuracy, to the rounding the
// page shows them with (2, 3, 0 and 2 decimals in percent).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSweepFile, saeDownload, type SweepFile } from "../../src/lib/sae/sweep-file.js";
import { saeSweep } from "../../src/lib/sae/sweep.js";
import { MODELS } from "../../src/lib/models/registry.js";
import { distFile } from "../e2e/independent-evaluation.js";
import { independentSaeMetrics } from "../e2e/independent-sae.js";
import { dist, ensureSite } from "./build-harness.js";

async function sweepFile(model: string, layer: string): Promise<SweepFile> {
  const bytes = readFileSync(distFile(join(dist, "_file", "data", "sae", model), layer, ".bin"));
  return decodeSweepFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, `${model}/${layer}`);
}

describe("SAE sweep files in the built site", () => {
  before(ensureSite);

  test("every model's every layer has its sweep file with every SAE of its sweep", async () => {
    for (const entry of MODELS) {
      for (const planned of saeSweep(entry)) {
        const file = await sweepFile(entry.name, planned.layer);
        assert.deepEqual(
          file.saes.map((s) => s.id),
          planned.saes.map((s) => s.id),
          `${entry.name}/${planned.layer}`,
        );
        assert.equal(file.spatial, planned.spatial);
        assert.equal(file.evaluationImages !== null, planned.spatial);
      }
    }
  });

  const checked = [
    ["baseline-mlp", "relu_1", "neurons/topk-x4-k4"],
    ["baseline-mlp", "relu_1", "neurons/kl-x2-rho0.2-beta0.3"],
    ["baseline-mlp", "relu_2", "ica/batchtopk-x4-k4"],
    ["baseline-mlp", "relu_2", "pca/l1-x4-lambda2"],
    ["cnn", "relu_2", "neurons/topk-x4-k4"],
  ] as const;
  for (const [model, layer, id] of checked) {
    test(`${model}/${layer} ${id}: the stored metrics agree with a recomputation from the downloads`, async () => {
      const file = await sweepFile(model, layer);
      const { metrics } = file.saes.find((s) => s.id === id)!;
      const { safetensors, cfgJson } = saeDownload(file, id);
      const independent = await independentSaeMetrics({
        dist,
        model,
        safetensors,
        cfg: JSON.parse(JSON.stringify(cfgJson)),
        evaluationImages: file.evaluationImages,
      });
      assert.equal(independent.rows, file.samples.evaluation);
      assert.ok(Math.abs(independent.l0 - metrics.l0) < 0.005, `L0 ${independent.l0} vs ${metrics.l0}`);
      assert.ok(
        Math.abs(independent.fractionVarianceExplained - metrics.fractionVarianceExplained) < 0.0005,
        `variance explained ${independent.fractionVarianceExplained} vs ${metrics.fractionVarianceExplained}`,
      );
      assert.equal(independent.dead, metrics.dead.length, "dead latents");
      assert.ok(Math.abs(independent.accuracy - metrics.accuracy) < 0.00005, `accuracy ${independent.accuracy} vs ${metrics.accuracy}`);
    });
  }
});
