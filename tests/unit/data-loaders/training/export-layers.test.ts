import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLayersModelFromFiles, serializeLayersModel, writeLayersModel } from "../../../../data-loaders/training/export-layers.js";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { buildModel, type LayerSpec } from "../../../../src/lib/models/architecture.js";
import { buildMlp } from "../../../../src/lib/models/mlp.js";
import type { LayersModel, Tensor } from "../../../../src/lib/tf-types.js";
import { mulberry32 } from "../../../../src/lib/random.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

function predictions(model: LayersModel, inputs: Float32Array): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(inputs, [inputs.length / 20, 20])) as Tensor).dataSync() as Float32Array);
}

const random = mulberry32(9);
const inputs = Float32Array.from({ length: 5 * 20 }, () => random());

describe("layers-model export", () => {
  test("serializeLayersModel gives a standard model.json and weights that load back to identical predictions", async () => {
    const model = buildMlp(tf, { inputSize: 20, hidden: [6, 4], classes: 3, seed: 2 });
    const { modelJson, weightsBin } = await serializeLayersModel(model);
    assert.equal(modelJson.format, "layers-model");
    assert.match(String(modelJson.generatedBy), /^TensorFlow\.js tfjs-layers v\d/);
    assert.equal(modelJson.convertedBy, null);
    assert.ok(modelJson.modelTopology);
    assert.equal(modelJson.weightsManifest.length, 1);
    assert.deepEqual(modelJson.weightsManifest[0].paths, ["weights.bin"]);
    const names = modelJson.weightsManifest[0].weights.map((w) => w.name);
    assert.deepEqual(names, ["dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias", "logits/kernel", "logits/bias"]);
    // 20*6 + 6 + 6*4 + 4 + 4*3 + 3 float32 values.
    assert.equal(weightsBin.byteLength, 4 * (120 + 6 + 24 + 4 + 12 + 3));

    // Through JSON text, as a browser would read the file.
    const loaded = await loadLayersModelFromFiles(tf, JSON.parse(JSON.stringify(modelJson)), weightsBin);
    assert.deepEqual(predictions(loaded, inputs), predictions(model, inputs));
    assert.deepEqual(
      loaded.layers.map((l) => l.name),
      model.layers.map((l) => l.name),
    );
    const again = await serializeLayersModel(model);
    assert.deepEqual(again.weightsBin, weightsBin, "serializing twice gave different bytes");
    assert.equal(JSON.stringify(again.modelJson), JSON.stringify(modelJson));
    loaded.dispose();
    model.dispose();
  });

  test("writeLayersModel writes model.json and weights.bin that tf.loadLayersModel-style loading accepts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "export-layers-"));
    try {
      const model = buildMlp(tf, { inputSize: 20, hidden: [5], classes: 2, seed: 4 });
      const paths = await writeLayersModel(model, join(dir, "nested", "model"));
      assert.equal(paths.modelJsonPath, join(dir, "nested", "model", "model.json"));
      const json = JSON.parse(await readFile(paths.modelJsonPath, "utf8"));
      const bin = new Uint8Array(await readFile(paths.weightsPath));
      const loaded = await loadLayersModelFromFiles(tf, json, bin);
      assert.deepEqual(predictions(loaded, inputs), predictions(model, inputs));
      loaded.dispose();
      model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("mismatched weights or a non-model JSON are rejected with a clear message", async () => {
    const model = buildMlp(tf, { inputSize: 20, hidden: [5], classes: 2, seed: 4 });
    const { modelJson, weightsBin } = await serializeLayersModel(model);
    await assert.rejects(loadLayersModelFromFiles(tf, modelJson, weightsBin.subarray(4)), /weights hold 464 bytes but model\.json.s manifest describes 468/);
    await assert.rejects(loadLayersModelFromFiles(tf, { hello: 1 }, weightsBin), /must be a tfjs model\.json object/);
    model.dispose();
  });
});

describe("layers-model export of every layer type buildModel makes", () => {
  const normalized: LayerSpec[] = [
    { type: "standardize" },
    { type: "dense", units: 6 },
    { type: "layernorm" },
    { type: "relu" },
    { type: "dropout", rate: 0.3 },
    { type: "dense", units: 4 },
    { type: "relu" },
  ];
  const cnn: LayerSpec[] = [
    { type: "reshape", shape: [8, 8, 1] },
    { type: "conv2d", filters: 3, kernelSize: 3 },
    { type: "relu" },
    { type: "maxpool", size: 2 },
    { type: "flatten" },
    { type: "dense", units: 5 },
    { type: "relu" },
  ];
  const cases = [
    { what: "standardize, layernorm and dropout", layers: normalized, inputSize: 20, classes: ["Rescaling", "LayerNormalization", "Dropout"] },
    { what: "a small CNN", layers: cnn, inputSize: 64, classes: ["Reshape", "Conv2D", "MaxPooling2D", "Flatten"] },
  ];

  for (const { what, layers, inputSize, classes } of cases) {
    test(`${what} round-trip through model.json with identical predictions, no custom classes needed`, async () => {
      const model = buildModel(tf, { layers, seed: 6 }, { inputSize, classes: 3, inputStats: { mean: 0.2, std: 0.35 } });
      // Random values everywhere (LayerNorm's gamma and beta included), so nothing passes by luck.
      const random = mulberry32(17);
      tf.tidy(() =>
        model.setWeights(
          model.getWeights().map((w) =>
            tf.tensor(
              Float32Array.from({ length: w.size }, () => random() * 2 - 1),
              w.shape,
            ),
          ),
        ),
      );
      const x = tf.tensor2d(
        Float32Array.from({ length: 4 * inputSize }, () => random()),
        [4, inputSize],
      );
      const expected = tf.tidy(() => (model.predict(x) as Tensor).dataSync());

      const { modelJson, weightsBin } = await serializeLayersModel(model);
      const text = JSON.stringify(modelJson);
      for (const className of classes) assert.ok(text.includes(`"class_name":"${className}"`), `model.json has no ${className} layer`);

      const fromFiles = await loadLayersModelFromFiles(tf, JSON.parse(text), weightsBin);
      const fromMemory = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: JSON.parse(text).modelTopology,
          weightSpecs: modelJson.weightsManifest[0].weights,
          weightData: weightsBin.slice().buffer,
        }),
      );
      for (const loaded of [fromFiles, fromMemory]) {
        assert.deepEqual(
          loaded.layers.map((l) => [l.name, l.getClassName()]),
          model.layers.map((l) => [l.name, l.getClassName()]),
        );
        assert.deepEqual(
          tf.tidy(() => (loaded.predict(x) as Tensor).dataSync()),
          expected,
        );
        loaded.dispose();
      }
      x.dispose();
      model.dispose();
    });
  }
});
