import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { sweepLayer } from "../../../../data-loaders/sae/sae-sweep-file.js";
import { SAE_ARCHITECTURES } from "../../../../src/lib/sae/config.js";

describe("SAE sweep of one layer", () => {
  test("is the registry model's sweep of that layer", () => {
    const layer = sweepLayer("cnn", "relu_2");
    assert.equal(layer.spatial, true);
    assert.equal(layer.width, 16);
    assert.equal(layer.saes.length, SAE_ARCHITECTURES.length, "one SAE per architecture");
  });

  test("an unknown model or layer is reported with what there is", () => {
    assert.throws(() => sweepLayer("cnn", "relu_4"), /model "cnn" has no layer "relu_4" to train SAEs on; it has relu_1, relu_2, relu_3/);
    assert.throws(() => sweepLayer("mlp", "relu_1"), /unknown model "mlp"; the registry has cnn, baseline-mlp/);
  });
});
