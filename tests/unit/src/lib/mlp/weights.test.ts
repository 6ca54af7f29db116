import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { activationNames, hiddenLayerNames, locateActivation, unitsOf, validateMlpWeights } from "../../../../../src/lib/mlp/weights.js";
import { dense, randomMlp } from "./mlp-fixtures.js";

describe("MLP weights", () => {
  const weights = randomMlp([6, 4, 3, 2], 1);

  test("names every activation in forward order and the hidden layers a reader can intervene on", () => {
    assert.deepEqual(activationNames(weights), ["dense_1", "relu_1", "dense_2", "relu_2", "logits"]);
    assert.deepEqual(hiddenLayerNames(weights), ["relu_1", "relu_2"]);
    assert.deepEqual(activationNames(randomMlp([3, 2], 1)), ["logits"]);
    assert.deepEqual(hiddenLayerNames(randomMlp([3, 2], 1)), []);
  });

  test("counts units by activation name and rejects names the network lacks", () => {
    assert.equal(unitsOf(weights, "dense_1"), 4);
    assert.equal(unitsOf(weights, "relu_2"), 3);
    assert.equal(unitsOf(weights, "logits"), 2);
    assert.deepEqual(locateActivation(weights, "relu_2"), { name: "relu_2", kind: "relu", layerIndex: 1, units: 3 });
    assert.throws(() => unitsOf(weights, "relu_3"), /unknown activation "relu_3": this network has \[dense_1, relu_1, dense_2, relu_2, logits\]/);
    assert.throws(() => unitsOf(weights, "dense_0"), /unknown activation "dense_0"/);
  });

  test("accepts consistent weights", () => {
    assert.doesNotThrow(() => validateMlpWeights(weights));
  });

  test("names the layer, the expected and the found size when sizes do not chain", () => {
    const broken = { layers: [dense("dense_1", 2, 3, [1, 2, 3, 4, 5, 6], [0, 0, 0]), dense("logits", 2, 2, [1, 2, 3, 4], [0, 0])] };
    assert.throws(() => validateMlpWeights(broken, "model.bin"), /model.bin: layer 2 \("logits"\): inputSize must equal the 3 units of layer 1 \("dense_1"\), found 2/);
  });

  test("rejects kernels and biases of the wrong length", () => {
    const shortKernel = { layers: [dense("logits", 2, 2, [1, 2, 3], [0, 0])] };
    assert.throws(() => validateMlpWeights(shortKernel), /layer 1 \("logits"\): kernel must hold inputSize × units = 2 × 2 = 4 values, found 3/);
    const longBias = { layers: [dense("logits", 2, 2, [1, 2, 3, 4], [0, 0, 0])] };
    assert.throws(() => validateMlpWeights(longBias), /bias must hold 2 values \(one per unit\), found 3/);
  });

  test("rejects layer names that break the activation naming", () => {
    const misnamed = { layers: [dense("hidden", 2, 2, [1, 2, 3, 4], [0, 0]), dense("logits", 2, 2, [1, 2, 3, 4], [0, 0])] };
    assert.throws(() => validateMlpWeights(misnamed), /layer 1 must be named "dense_1", found "hidden"/);
    assert.throws(() => validateMlpWeights({ layers: [] }), /expected at least one layer, found none/);
  });

  test("rejects kernels that are not Float32Array", () => {
    const layer = { ...dense("logits", 1, 1, [1], [0]), kernel: [1] as unknown as Float32Array };
    assert.throws(() => validateMlpWeights({ layers: [layer] }), /kernel must be a Float32Array, found \[object Array\]/);
  });
});
