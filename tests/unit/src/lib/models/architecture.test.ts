import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { buildModel, layerSeed, type ArchitectureSpec, type LayerSpec } from "../../../../../src/lib/models/architecture.js";

await tf.setBackend("cpu");

const mnist = { inputSize: 784, classes: 10 };
const stats = { mean: 0.1307, std: 0.3081 };
const baseline: ArchitectureSpec = {
  layers: [{ type: "dense", units: 32 }, { type: "relu" }, { type: "dense", units: 16 }, { type: "relu" }],
  seed: 42,
};
const cnn: LayerSpec[] = [
  { type: "reshape", shape: [28, 28, 1] },
  { type: "conv2d", filters: 8, kernelSize: 3 },
  { type: "relu" },
  { type: "maxpool", size: 2 },
  { type: "conv2d", filters: 16, kernelSize: 3 },
  { type: "relu" },
  { type: "maxpool", size: 2 },
  { type: "flatten" },
  { type: "dense", units: 32 },
  { type: "relu" },
];

function weightBytes(model: tf.LayersModel): Buffer {
  return Buffer.concat(model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).slice().buffer)));
}

const layerList = (model: tf.LayersModel) => model.layers.map((l) => [l.name, l.getClassName()]);
const values = (tensor: tf.Tensor) => Array.from(tensor.dataSync());

describe("buildModel", () => {
  test("the baseline spec reproduces the original buildMlp bit for bit: weights, layer names, model name", () => {
    const before = tf.memory().numTensors;
    const model = buildModel(tf, baseline, mnist);
    // SHA-256 of the initial weights of buildMlp({inputSize: 784, hidden: [32, 16], classes: 10,
    // seed: 42}) as written before buildModel existed (tfjs 4.22; the same on cpu and wasm).
    assert.equal(createHash("sha256").update(weightBytes(model)).digest("hex"), "ff231ad271dda76f378915889aef44af5e5b240989af846771463f029ad83984");
    assert.equal(model.name, "mlp_784_32_16_10");
    assert.deepEqual(layerList(model), [
      ["input", "InputLayer"],
      ["dense_1", "Dense"],
      ["relu_1", "Activation"],
      ["dense_2", "Dense"],
      ["relu_2", "Activation"],
      ["logits", "Dense"],
    ]);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, "disposing the model should free its weights");
  });

  test("names every type by occurrence; standardize, reshape and flatten get a suffix only when repeated", () => {
    const normalized = buildModel(
      tf,
      {
        layers: [
          { type: "standardize" },
          { type: "dense", units: 32 },
          { type: "layernorm" },
          { type: "relu" },
          { type: "dropout", rate: 0.2 },
          { type: "dense", units: 16 },
          { type: "relu" },
          { type: "layernorm" },
        ],
        seed: 1,
      },
      { ...mnist, inputStats: stats },
    );
    assert.deepEqual(layerList(normalized), [
      ["input", "InputLayer"],
      ["standardize", "Rescaling"],
      ["dense_1", "Dense"],
      ["layernorm_1", "LayerNormalization"],
      ["relu_1", "Activation"],
      ["dropout_1", "Dropout"],
      ["dense_2", "Dense"],
      ["relu_2", "Activation"],
      ["layernorm_2", "LayerNormalization"],
      ["logits", "Dense"],
    ]);
    assert.equal(normalized.name, "net_784_std_d32_ln_relu_drop0p2_d16_relu_ln_10");

    const twice = buildModel(
      tf,
      { layers: [{ type: "reshape", shape: [28, 28] }, { type: "flatten" }, { type: "reshape", shape: [28, 28, 1] }, { type: "flatten" }], seed: 1 },
      mnist,
    );
    assert.deepEqual(
      twice.layers.map((l) => l.name),
      ["input", "reshape_1", "flatten_1", "reshape_2", "flatten_2", "logits"],
    );
    [normalized, twice].forEach((m) => m.dispose());
  });

  test("standardize is a Rescaling layer, layernorm a LayerNormalization over the last axis", () => {
    const model = buildModel(
      tf,
      { layers: [{ type: "standardize" }, { type: "dense", units: 4 }, { type: "layernorm" }, { type: "relu" }], seed: 1 },
      { ...mnist, inputStats: stats },
    );
    assert.deepEqual(
      model.layers.slice(1).map((l) => [l.name, l.getClassName()]),
      [
        ["standardize", "Rescaling"],
        ["dense_1", "Dense"],
        ["layernorm_1", "LayerNormalization"],
        ["relu_1", "Activation"],
        ["logits", "Dense"],
      ],
    );
    model.dispose();
  });

  test("a CNN takes flat pixels: reshape, valid 3x3 convs with stride 1, 2x2 pools with stride 2", () => {
    const model = buildModel(tf, { layers: cnn, seed: 5 }, mnist);
    assert.deepEqual(model.inputs[0].shape, [null, 784]);
    assert.deepEqual(
      model.layers.slice(1).map((l) => [l.name, (l.outputShape as number[]).slice(1)]),
      [
        ["reshape", [28, 28, 1]],
        ["conv_1", [26, 26, 8]],
        ["relu_1", [26, 26, 8]],
        ["pool_1", [13, 13, 8]],
        ["conv_2", [11, 11, 16]],
        ["relu_2", [11, 11, 16]],
        ["pool_2", [5, 5, 16]],
        ["flatten", [400]],
        ["dense_1", [32]],
        ["relu_3", [32]],
        ["logits", [10]],
      ],
    );
    for (const name of ["conv_1", "conv_2"]) {
      const config = model.getLayer(name).getConfig();
      assert.deepEqual([config.strides, config.padding, config.activation], [[1, 1], "valid", "linear"]);
    }
    assert.deepEqual(model.getLayer("pool_1").getConfig().strides, [2, 2]);
    model.dispose();
  });

  test("dense and conv kernels are He normal seeded by their rank among weighted layers; logits Glorot uniform after them", () => {
    const model = buildModel(tf, { layers: cnn, seed: 5 }, mnist);
    const expect = (name: string, initializer: ReturnType<typeof tf.initializers.heNormal>) => {
      const [kernel, bias] = model.getLayer(name).getWeights();
      assert.deepEqual(values(kernel), values(initializer.apply(kernel.shape)), `${name} kernel`);
      assert.ok(
        values(bias).every((v) => v === 0),
        `${name} bias is not zero`,
      );
    };
    expect("conv_1", tf.initializers.heNormal({ seed: layerSeed(5, 1) }));
    expect("conv_2", tf.initializers.heNormal({ seed: layerSeed(5, 2) }));
    expect("dense_1", tf.initializers.heNormal({ seed: layerSeed(5, 3) }));
    expect("logits", tf.initializers.glorotUniform({ seed: layerSeed(5, 4) }));
    model.dispose();
  });

  test("layers without weights do not shift the seeds: a normalized MLP starts from the baseline's weights", () => {
    const plain = buildModel(tf, baseline, mnist);
    const normalized = buildModel(
      tf,
      {
        layers: [{ type: "standardize" }, ...baseline.layers.flatMap((l): LayerSpec[] => (l.type === "relu" ? [{ type: "dropout", rate: 0.5 }, l] : [l]))],
        seed: 42,
      },
      { ...mnist, inputStats: stats },
    );
    assert.ok(weightBytes(plain).equals(weightBytes(normalized)));
    [plain, normalized].forEach((m) => m.dispose());
  });

  test("layer seeds differ by layer and by model seed", () => {
    const seeds = [1, 2, 3].map((i) => layerSeed(1, i));
    assert.equal(new Set(seeds).size, 3);
    assert.notEqual(layerSeed(1, 1), layerSeed(2, 1));
    assert.equal(layerSeed(5, 2), layerSeed(5, 2));
    assert.ok(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31));
  });

  test("standardize is (x - mean) / std; layernorm normalizes the last axis (epsilon 1e-3); dropout is the identity at inference", () => {
    const model = buildModel(
      tf,
      { layers: [{ type: "standardize" }, { type: "dense", units: 6 }, { type: "layernorm" }, { type: "dropout", rate: 0.5 }], seed: 3 },
      { inputSize: 4, classes: 2, inputStats: { mean: 0.25, std: 0.5 } },
    );
    tf.tidy(() => {
      const x = tf.tensor2d([0, 0.25, 0.5, 1, 1, 0, 0.75, 0.5], [2, 4]);
      const probe = tf.model({
        inputs: model.inputs,
        outputs: ["standardize", "layernorm_1", "dropout_1"].map((n) => model.getLayer(n).output as tf.SymbolicTensor),
      });
      const [standardized, normalized, dropped] = probe.predict(x) as tf.Tensor[];
      const expected = [-0.5, 0, 0.5, 1.5, 1.5, -0.5, 1, 0.5];
      values(standardized).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `standardized[${i}] = ${v}, expected ${expected[i]}`));
      const rows = normalized.arraySync() as number[][];
      for (const row of rows) {
        const mean = row.reduce((a, b) => a + b, 0) / row.length;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
        assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-2, `layernorm row mean ${mean}, variance ${variance}`);
      }
      assert.deepEqual(values(dropped), values(normalized));
    });
    assert.equal(model.getLayer("layernorm_1").getConfig().epsilon, 1e-3);
    // axis -1, which the built layer stores resolved: the last axis of [batch, 6].
    assert.deepEqual(model.getLayer("layernorm_1").getConfig().axis, [1]);
    assert.equal(model.getLayer("dropout_1").getConfig().rate, 0.5);
    model.dispose();
  });

  test("bad specs are rejected naming the layer, what it expected and what it found", () => {
    const build =
      (layers: unknown[], options: object = mnist) =>
      () =>
        buildModel(tf, { layers: layers as LayerSpec[], seed: 1 }, { ...mnist, ...options });
    assert.throws(
      build([{ type: "conv2d", filters: 8, kernelSize: 3 }]),
      /spec\.layers\[0\] \(conv2d\) needs a 3-D input \[height, width, channels\], but its input is \[784\]; add a reshape before it/,
    );
    assert.throws(
      build([
        { type: "reshape", shape: [28, 28, 1] },
        { type: "dense", units: 4 },
      ]),
      /spec\.layers\[1\] \(dense\) needs a 1-D input, but its input is \[28, 28, 1\]; add a flatten before it/,
    );
    assert.throws(build([{ type: "reshape", shape: [28, 28, 1] }]), /the last layer outputs \[28, 28, 1\] but the logits need a 1-D input; add a flatten/);
    assert.throws(
      build([{ type: "reshape", shape: [27, 27, 1] }]),
      /spec\.layers\[0\] \(reshape\): cannot reshape \[784\] \(784 values\) to \[27, 27, 1\] \(729 values\)/,
    );
    assert.throws(build([{ type: "dense", units: 0 }]), /spec\.layers\[0\] \(dense\): units must be a positive integer, got 0/);
    assert.throws(build([{ type: "dropout", rate: 1 }]), /spec\.layers\[0\] \(dropout\): rate must be a number in \[0, 1\), got 1/);
    assert.throws(build([{ type: "dropout", rate: -0.1 }]), /rate must be a number in \[0, 1\), got -0\.1/);
    assert.throws(build([{ type: "standardize" }]), /spec\.layers\[0\] \(standardize\) needs options\.inputStats/);
    assert.throws(build([{ type: "standardize" }], { inputStats: { mean: 0.1, std: 0 } }), /inputStats must have a finite mean and a finite std > 0/);
    assert.throws(
      build([
        { type: "reshape", shape: [28, 28, 1] },
        { type: "maxpool", size: 30 },
      ]),
      /spec\.layers\[1\] \(maxpool\): size 30 is larger than its input \[28, 28, 1\]/,
    );
    assert.throws(
      build([
        { type: "reshape", shape: [28, 28, 1] },
        { type: "conv2d", filters: 2.5, kernelSize: 3 },
      ]),
      /spec\.layers\[1\] \(conv2d\): filters must be a positive integer, got 2\.5/,
    );
    assert.throws(build([{ type: "flatten" }]), /spec\.layers\[0\] \(flatten\): its input \[784\] is already flat/);
    assert.throws(
      build([{ type: "batchnorm" }]),
      /spec\.layers\[0\] \(batchnorm\): unknown layer type "batchnorm"; expected one of standardize, reshape, dense/,
    );
    assert.throws(build([null]), /spec\.layers\[0\] must be a layer like \{"type": "dense", "units": 32\}, got null/);
    assert.throws(build([], { classes: 1 }), /options\.classes must be an integer >= 2, got 1/);
    assert.throws(() => buildModel(tf, { layers: [], seed: 0.5 }, mnist), /spec\.seed must be an integer, got 0\.5/);
  });
});
