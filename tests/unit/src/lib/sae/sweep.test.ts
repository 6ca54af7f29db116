import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../../../../../src/lib/models/architecture.js";
import { CNN, MODELS, modelEntry } from "../../../../../src/lib/models/registry.js";
import { SAE_ARCHITECTURES, saeConfig } from "../../../../../src/lib/sae/config.js";
import { architecture } from "../../../../../src/lib/sae/architectures/index.js";
import { reluLayers, saeSweep, sparsitySettings } from "../../../../../src/lib/sae/sweep.js";

describe("SAE sweep", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("every registry model's ReLU layers, as the model builder names and shapes them", () => {
    for (const entry of MODELS) {
      const model = buildModel(tf, entry.architecture, { inputSize: 784, classes: 10, inputStats: { mean: 0.13, std: 0.31 } });
      const built = model.layers
        .filter((layer) => /^relu_\d+$/.test(layer.name))
        .map((layer) => {
          const shape = (layer.outputShape as number[]).slice(1);
          return { layer: layer.name, spatial: shape.length === 3, width: shape[shape.length - 1] };
        });
      model.dispose();
      assert.deepEqual(reluLayers(entry.architecture), built, entry.name);
    }
  });

  test("the CNN's conv ReLUs are spatial, its dense one is not", () => {
    assert.deepEqual(reluLayers(CNN.architecture), [
      { layer: "relu_1", spatial: true, width: 8 },
      { layer: "relu_2", spatial: true, width: 16 },
      { layer: "relu_3", spatial: false, width: 32 },
    ]);
  });

  test("the baseline's layers get the full grid: every architecture × 5 sizes × 2 settings, and one each on PCA and ICA at 4x", () => {
    const [relu1, relu2] = saeSweep(modelEntry("baseline-mlp"));
    const count = SAE_ARCHITECTURES.length * (5 * 2 + 2);
    for (const layer of [relu1, relu2]) {
      assert.equal(layer.saes.length, count);
      assert.equal(new Set(layer.saes.map((s) => s.id)).size, count, "ids are unique");
      assert.deepEqual(
        [...new Set(layer.saes.map((s) => s.config.dSae / layer.width))].sort((a, b) => a - b),
        [1, 2, 4, 8, 16],
      );
      assert.equal(layer.saes.filter((s) => s.basis === "pca").length, SAE_ARCHITECTURES.length);
      assert.equal(layer.saes.filter((s) => s.basis === "ica").length, SAE_ARCHITECTURES.length);
    }
    const ids = relu1.saes.map((s) => s.id);
    for (const id of [
      "neurons/topk-x4-k4",
      "neurons/batchtopk-x16-k8",
      "neurons/l1-x1-lambda2",
      "neurons/kl-x8-rho0.2-beta0.3",
      "pca/topk-x4-k4",
      "ica/kl-x4-rho0.05-beta0.1",
    ]) {
      assert.ok(ids.includes(id), `${id} in [${ids.join(", ")}]`);
    }
    assert.deepEqual(relu2.saes.find((s) => s.id === "neurons/topk-x1-k8")?.config, {
      architecture: "topk",
      dIn: 16,
      dSae: 16,
      k: 8,
      steps: 1000,
      batchSize: 256,
    });
  });

  test("other models' layers get the reduced grid; the CNN's dense layer also the PCA and ICA runs", () => {
    const ids = (name: string) => saeSweep(modelEntry(name)).map((l) => [l.layer, l.saes.map((s) => s.id)]);
    // One 4x SAE per architecture at its sparser setting (the first four spelled out).
    const reduced = SAE_ARCHITECTURES.map((name) => `neurons/${name}-x4-${architecture(name).sparsityTag(sparsitySettings(name)[0])}`);
    assert.deepEqual(reduced.slice(0, 4), ["neurons/l1-x4-lambda2", "neurons/kl-x4-rho0.05-beta0.1", "neurons/topk-x4-k4", "neurons/batchtopk-x4-k4"]);
    assert.deepEqual(ids("dropout-mlp"), [
      ["relu_1", reduced],
      ["relu_2", reduced],
    ]);
    const bases = ["pca", "ica"].flatMap((basis) => reduced.map((id) => id.replace("neurons", basis)));
    assert.deepEqual(ids("cnn"), [
      ["relu_1", reduced],
      ["relu_2", reduced],
      ["relu_3", [...reduced, ...bases]],
    ]);
  });

  test("every config is valid, k never exceeds the dictionary, and dIn is the layer's width", () => {
    for (const entry of MODELS) {
      for (const layer of saeSweep(entry)) {
        for (const sae of layer.saes) {
          const config = saeConfig(sae.config);
          assert.equal(config.dIn, layer.width);
          if (config.architecture === "topk" || config.architecture === "batchtopk") assert.ok(config.k <= config.dSae);
        }
      }
    }
  });

  test("a narrow layer at 1x gets k clamped to its dictionary, and the id says so", () => {
    const narrow = { ...modelEntry("baseline-mlp"), architecture: { layers: [{ type: "dense" as const, units: 6 }, { type: "relu" as const }], seed: 1 } };
    const ids = saeSweep(narrow)[0].saes.map((s) => s.id);
    assert.ok(ids.includes("neurons/topk-x1-k6"), ids.join(", "));
  });
});
