import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { networkActivations } from "../../../../../src/lib/network/forward.js";
import { activationNames } from "../../../../../src/lib/network/network.js";
import { assertClose, networkOf, normalizedMlp, randomInputs, referenceOutputs, smallCnn } from "./fixtures.js";

describe("forward pass with an activation cache", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  for (const [label, build, size] of [
    ["normalized MLP (rescale, LayerNorm, dropout)", normalizedMlp, 6],
    ["CNN (reshape, conv, pool, flatten)", smallCnn, 105],
  ] as const) {
    test(`${label}: every activation equals tfjs-layers' own output`, async () => {
      const model = build();
      const network = await networkOf(model);
      const count = 9;
      const inputs = randomInputs(count * size, 7);
      const names = activationNames(network);
      const expected = referenceOutputs(model, inputs, count, names);
      const before = tf.memory().numTensors;
      const cache = await networkActivations(tf, network, inputs, count, { batchSize: 4 });
      assert.equal(tf.memory().numTensors, before, "the forward pass leaked tensors");
      for (const name of names) {
        assert.equal(cache[name].rows, count);
        assert.equal(cache[name].cols, expected[name].length / count);
        assertClose(cache[name].data, expected[name], 1e-5, name);
      }
      model.dispose();
    });
  }

  test("conv activations keep their shape, channels last", async () => {
    const network = await networkOf(smallCnn());
    const cache = await networkActivations(tf, network, randomInputs(2 * 105, 1), 2, { names: ["conv_1", "logits"] });
    assert.deepEqual(Object.keys(cache), ["conv_1", "logits"]);
    assert.deepEqual(cache.conv_1.shape, [5, 3, 5]);
    assert.equal(cache.conv_1.cols, 75);
  });

  test("Uint8 pixels are divided by 255", async () => {
    const network = await networkOf(normalizedMlp());
    const bytes = Uint8Array.from([0, 51, 102, 153, 204, 255]);
    const fromBytes = await networkActivations(tf, network, bytes, 1);
    const fromFloats = await networkActivations(
      tf,
      network,
      Float32Array.from(bytes, (v) => v / 255),
      1,
    );
    assertClose(fromBytes.logits.data, fromFloats.logits.data, 1e-6, "logits");
  });

  test("bad inputs and unknown names are reported", async () => {
    const network = await networkOf(normalizedMlp());
    await assert.rejects(networkActivations(tf, network, new Float32Array(5), 1), /expected count × inputSize = 1 × 6 = 6 input values, found 5/);
    await assert.rejects(networkActivations(tf, network, new Float32Array(6), 1, { names: ["relu_7"] }), /unknown activation "relu_7"/);
    await assert.rejects(networkActivations(tf, network, new Float32Array(6), 1, { batchSize: 0 }), /batchSize must be a positive integer, found 0/);
  });
});
