import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  activationInfo,
  activationNames,
  classCount,
  forwardCost,
  hiddenActivationNames,
  reluActivationNames,
  validateNetwork,
  type Network,
} from "../../../../../src/lib/network/network.js";
import { networkFromLayersModel, readWeightsBin } from "../../../../../src/lib/network/from-layers-model.js";
import { networkOf, normalizedMlp, serialize, smallCnn } from "./fixtures.js";

const dense = (name: string, inputSize: number, units: number) => ({
  kind: "dense" as const,
  name,
  inputSize,
  units,
  kernel: new Float32Array(inputSize * units),
  bias: new Float32Array(units),
});

describe("network description", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("reads every layer of a normalized MLP from model.json, with names and shapes", async () => {
    const network = await networkOf(normalizedMlp());
    assert.deepEqual(
      network.layers.map((l) => `${l.kind}:${l.name}`),
      [
        "rescale:standardize",
        "dense:dense_1",
        "relu:relu_1",
        "layernorm:layernorm_1",
        "dropout:dropout_1",
        "dense:dense_2",
        "layernorm:layernorm_2",
        "relu:relu_2",
        "dense:logits",
      ],
    );
    assert.deepEqual(network.inputShape, [6]);
    // Rescaling, dropout are not activations of their own.
    assert.deepEqual(activationNames(network), ["dense_1", "relu_1", "layernorm_1", "dense_2", "layernorm_2", "relu_2", "logits"]);
    assert.deepEqual(reluActivationNames(network), ["relu_1", "relu_2"]);
    assert.deepEqual(hiddenActivationNames(network), ["dense_1", "relu_1", "layernorm_1", "dense_2", "layernorm_2", "relu_2"]);
    assert.equal(classCount(network), 3);
    const layernorm = network.layers[3];
    assert.equal(layernorm.kind === "layernorm" && layernorm.epsilon, 1e-3);
  });

  test("reads a CNN: conv maps keep height, width and channels", async () => {
    const network = await networkOf(smallCnn());
    assert.deepEqual(activationNames(network), ["conv_1", "relu_1", "pool_1", "conv_2", "relu_2", "dense_1", "relu_3", "logits"]);
    assert.deepEqual(activationInfo(network, "conv_1").shape, [5, 3, 5]);
    assert.deepEqual(activationInfo(network, "pool_1").shape, [2, 1, 5]);
    assert.deepEqual(activationInfo(network, "conv_2").shape, [2, 1, 4]);
    assert.equal(activationInfo(network, "conv_2").units, 4);
    assert.equal(activationInfo(network, "conv_2").size, 8);
  });

  test("a Dense layer with a fused relu becomes dense + relu", async () => {
    const input = tf.input({ shape: [3] });
    const hidden = tf.layers.dense({ units: 2, activation: "relu", name: "dense_1" }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: "logits" }).apply(hidden) as tf.SymbolicTensor });
    const network = await networkOf(model);
    assert.deepEqual(activationNames(network), ["dense_1", "dense_1_relu", "logits"]);
  });

  test("weights.bin of the wrong size, a missing weight and an unsupported layer are named", async () => {
    const { modelJson, weightsBin } = await serialize(normalizedMlp());
    assert.throws(() => readWeightsBin(modelJson, weightsBin.slice(4)), /weights.bin: holds \d+ bytes, but model.json's manifest describes \d+/);
    const weights = readWeightsBin(modelJson, weightsBin);
    weights.delete("layernorm_1/gamma");
    assert.throws(() => networkFromLayersModel(modelJson, weights), /layer "layernorm_1" \(LayerNormalization\): no weight "layernorm_1\/gamma"/);
    const input = tf.input({ shape: [3] });
    const softmax = tf.layers.dense({ units: 2, activation: "softmax", name: "logits" }).apply(input) as tf.SymbolicTensor;
    const { modelJson: bad, weightsBin: badBin } = await serialize(tf.model({ inputs: input, outputs: softmax }));
    assert.throws(() => networkFromLayersModel(bad, readWeightsBin(bad, badBin)), /activation "softmax" is not supported/);
  });

  test("forward cost: dense in × out, conv out-positions × kernel × channels (hand-computed)", async () => {
    // smallCnn: conv_1 5×3 positions × 3·3·3 × 5 = 2025; conv_2 2×1 × 2·2·5 × 4 = 160; dense 8×6 = 48; logits 6×3 = 18.
    assert.equal(forwardCost(await networkOf(smallCnn())), 2025 + 160 + 48 + 18);
  });

  test("validation says which layer is wrong and how", () => {
    const ok: Network = { name: "n", inputShape: [4], layers: [dense("dense_1", 4, 3), { kind: "relu", name: "relu_1" }, dense("logits", 3, 2)] };
    assert.equal(validateNetwork(ok).length, 3);
    assert.throws(
      () => validateNetwork({ ...ok, layers: [dense("dense_1", 5, 3), dense("logits", 3, 2)] }),
      /layer 1 \("dense_1"\): dense layer takes \[5\] inputs, found \[4\]/,
    );
    assert.throws(() => validateNetwork({ ...ok, layers: [dense("dense_1", 4, 3), dense("dense_1", 3, 2)] }), /layer 2 \("dense_1"\): the name is used twice/);
    assert.throws(() => validateNetwork({ ...ok, layers: [dense("dense_1", 4, 3), dense("out", 3, 2)] }), /last layer must be a dense layer named "logits"/);
    const nan = dense("logits", 4, 2);
    nan.kernel[3] = NaN;
    assert.throws(() => validateNetwork({ ...ok, layers: [nan] }), /kernel \(4 × 2\)\[3\] is NaN; weights must be finite/);
    assert.throws(() => activationInfo(ok, "relu_9"), /unknown activation "relu_9": n has \[dense_1, relu_1, logits\]/);
  });
});
