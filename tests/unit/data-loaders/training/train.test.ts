import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend, type TrainingBackendName } from "../../../../data-loaders/training/node-backend.js";
import type { PenaltySpec } from "../../../../data-loaders/training/penalties.js";
import {
  INITIAL_TRAIN_EVAL_SIZE,
  TrainingDivergedError,
  trainClassifier,
  type EpochMetrics,
  type TrainConfig,
} from "../../../../data-loaders/training/train.js";
import { buildModel, type LayerSpec } from "../../../../src/lib/models/architecture.js";
import { buildMlp } from "../../../../src/lib/models/mlp.js";
import type { LayersModel } from "../../../../src/lib/tf-types.js";
import type { SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import { syntheticData } from "./synthetic-data.js";

const quiet = { log: () => {} };
const data = syntheticData(256, 64, 11);
const config: TrainConfig = { epochs: 2, batchSize: 32, learningRate: 0.05, optimizer: "sgd", seed: 7 };

function weightBytes(model: LayersModel): Buffer {
  return Buffer.concat(model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).slice().buffer)));
}

async function trainedWeights(backend: TrainingBackendName, trainConfig: TrainConfig): Promise<Buffer> {
  const { tf } = await initTrainingBackend({ backend });
  const model = buildMlp(tf, { inputSize: 784, hidden: [8], classes: 10, seed: 3 });
  const before = tf.memory().numTensors;
  await trainClassifier(tf, model, data, trainConfig, quiet);
  assert.equal(tf.memory().numTensors, before, "trainClassifier leaked tensors");
  const bytes = weightBytes(model);
  model.dispose();
  return bytes;
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`determinism on ${backend}`, () => {
    test("the same seed gives bit-identical weights; another shuffle seed gives different ones", async () => {
      const first = await trainedWeights(backend, config);
      const second = await trainedWeights(backend, config);
      assert.ok(first.equals(second), "two runs with the same seed differ");
      const reshuffled = await trainedWeights(backend, { ...config, seed: 8 });
      assert.ok(!first.equals(reshuffled), "a different seed gave the same weights");
    });
  });
}

describe("trainClassifier", () => {
  test("learns a separable problem and reports history for epochs 0..E", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const model = buildMlp(tf, { inputSize: 784, hidden: [16], classes: 10, seed: 1 });
    const seen: number[] = [];
    const lines: string[] = [];
    const { history } = await trainClassifier(
      tf,
      model,
      data,
      { epochs: 3, batchSize: 32, learningRate: 0.1, optimizer: "sgd", seed: 1 },
      {
        onEpochEnd: (epoch, metrics, m) => {
          assert.equal(m, model);
          assert.equal(metrics.epoch, epoch);
          seen.push(epoch);
        },
        log: (line) => lines.push(line),
      },
    );
    assert.deepEqual(seen, [0, 1, 2, 3]);
    assert.deepEqual(
      history.map((h: EpochMetrics) => h.epoch),
      [0, 1, 2, 3],
    );
    const [initial, , , last] = history;
    assert.equal(initial.imagesPerSecond, 0);
    assert.equal(initial.seconds, 0);
    assert.ok(initial.testAccuracy < 0.5, `untrained accuracy ${initial.testAccuracy} is suspiciously high`);
    assert.ok(last.testAccuracy > 0.9, `test accuracy after training is only ${last.testAccuracy}`);
    assert.ok(last.trainLoss < initial.trainLoss / 2, `train loss went from ${initial.trainLoss} to ${last.trainLoss}`);
    assert.ok(last.imagesPerSecond > 0 && last.seconds > 0);
    for (const h of history) assert.ok(h.testLoss > 0 && Number.isFinite(h.testLoss));

    assert.match(lines[0], /^training mlp_784_16_10 on tfjs wasm: 256 train \/ 64 test images, 3 epochs, batch 32, sgd lr 0\.1, seed 1$/);
    assert.match(lines[1], /^epoch 0\/3 {2}loss \d+\.\d{4} {2}acc \d+\.\d{2}% {2}test \d+\.\d{2}%$/);
    assert.match(lines[2], /^epoch 1\/3 {2}loss \d+\.\d{4} {2}acc \d+\.\d{2}% {2}test \d+\.\d{2}% {2}[\d,]+ img\/s {2}eta \d+s$/);
    model.dispose();
  });

  test("adam trains too", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const model = buildMlp(tf, { inputSize: 784, hidden: [8], classes: 10, seed: 2 });
    const before = tf.memory().numTensors;
    const { history } = await trainClassifier(tf, model, data, { epochs: 2, batchSize: 32, learningRate: 0.01, optimizer: "adam", seed: 1 }, quiet);
    assert.equal(tf.memory().numTensors, before, "adam's state leaked");
    assert.ok(history[2].testAccuracy > history[0].testAccuracy + 0.3, `accuracy ${history[0].testAccuracy} -> ${history[2].testAccuracy}`);
    model.dispose();
  });

  test("epoch-0 train metrics cover only the first INITIAL_TRAIN_EVAL_SIZE training images", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    // All-zero inputs and zero biases give equal logits, which count as class 0 (first maximum):
    // the leading images are all class 0 and the rest class 1.
    const count = INITIAL_TRAIN_EVAL_SIZE + 2_000;
    const labels = new Uint8Array(count).fill(1, INITIAL_TRAIN_EVAL_SIZE);
    const model = buildMlp(tf, { inputSize: 2, hidden: [3], classes: 2, seed: 1 });
    const zeros = { trainImages: new Uint8Array(count * 2), trainLabels: labels, testImages: new Uint8Array(8), testLabels: new Uint8Array([0, 1, 1, 1]) };
    const { history } = await trainClassifier(tf, model, { ...zeros, classes: 2, inputShape: [2] }, { ...config, epochs: 0 }, quiet);
    assert.equal(history.length, 1);
    assert.equal(history[0].trainAccuracy, 1);
    assert.equal(history[0].testAccuracy, 0.25);
    assert.ok(Math.abs(history[0].trainLoss - Math.log(2)) < 1e-4, `loss of equal logits should be ln 2, got ${history[0].trainLoss}`);
    model.dispose();
  });

  test("a diverging run throws TrainingDivergedError naming epoch, batch and learning rate, without leaks", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const model = buildMlp(tf, { inputSize: 784, hidden: [8], classes: 10, seed: 1 });
    const before = tf.memory().numTensors;
    await assert.rejects(
      trainClassifier(tf, model, data, { epochs: 2, batchSize: 32, learningRate: 1e30, optimizer: "sgd", seed: 1 }, quiet),
      (error: unknown) => {
        assert.ok(error instanceof TrainingDivergedError);
        assert.equal(error.epoch, 1);
        assert.ok(error.batch >= 1 && error.batch <= 8);
        assert.ok(!Number.isFinite(error.loss));
        assert.match(error.message, /^training diverged: loss is (NaN|Infinity) at epoch 1, batch \d+ \(learning rate 1e\+30\)$/);
        return true;
      },
    );
    assert.equal(tf.memory().numTensors, before, "tensors leaked on divergence");
    model.dispose();
  });

  test("bad inputs are rejected with messages that name them", async () => {
    const { tf } = await initTrainingBackend({ backend: "cpu" });
    const model = buildMlp(tf, { inputSize: 784, hidden: [4], classes: 10, seed: 1 });
    const badLabels = { ...data, trainLabels: data.trainLabels.map((v, i) => (i === 5 ? 12 : v)) };
    await assert.rejects(trainClassifier(tf, model, badLabels, config, quiet), /data\.trainLabels\[5\] is 12, expected a class in 0\.\.9/);
    await assert.rejects(
      trainClassifier(tf, model, { ...data, inputShape: [28, 28, 1] }, config, quiet),
      /model takes inputs of shape \[784\] but data\.inputShape is \[28, 28, 1\]/,
    );
    await assert.rejects(
      trainClassifier(tf, model, { ...data, testImages: data.testImages.subarray(1) }, config, quiet),
      /data\.testImages has 50175 bytes, expected 64 labels/,
    );
    await assert.rejects(
      trainClassifier(tf, model, data, { ...config, batchSize: 0, learningRate: -1 }, quiet),
      /batchSize must be a positive integer, got 0; learningRate must be a positive finite number, got -1/,
    );
    await assert.rejects(trainClassifier(tf, model, { ...data, classes: 5 }, config, quiet), /data\.trainLabels\[\d+\] is \d, expected a class in 0\.\.4/);
    model.dispose();
  });
});

describe("trainClassifier with buildModel's other layers", () => {
  test("trains an MLP with standardization, LayerNorm before and after ReLU, and dropout", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const layers: LayerSpec[] = [
      { type: "standardize" },
      { type: "dense", units: 16 },
      { type: "layernorm" },
      { type: "relu" },
      { type: "dropout", rate: 0.2 },
      { type: "dense", units: 8 },
      { type: "relu" },
      { type: "layernorm" },
    ];
    const model = buildModel(tf, { layers, seed: 1 }, { inputSize: 784, classes: 10, inputStats: { mean: 0.2, std: 0.3 } });
    const gammaBefore = model.getLayer("layernorm_1").getWeights()[0].dataSync().slice();
    const before = tf.memory().numTensors;
    const { history } = await trainClassifier(tf, model, data, { epochs: 2, batchSize: 32, learningRate: 0.05, optimizer: "sgd", seed: 1 }, quiet);
    assert.equal(tf.memory().numTensors, before, "training leaked tensors");
    assert.ok(history[2].testAccuracy > 0.9, `test accuracy ${history[0].testAccuracy} -> ${history[2].testAccuracy}`);
    assert.notDeepEqual(model.getLayer("layernorm_1").getWeights()[0].dataSync(), gammaBefore, "LayerNorm's gamma did not train");
    model.dispose();
  });

  test("trains a model that takes flat pixels and reshapes them inside", async () => {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const layers: LayerSpec[] = [
      { type: "reshape", shape: [28, 28, 1] },
      { type: "conv2d", filters: 4, kernelSize: 3 },
      { type: "relu" },
      { type: "maxpool", size: 2 },
      { type: "flatten" },
    ];
    const model = buildModel(tf, { layers, seed: 1 }, { inputSize: 784, classes: 10 });
    const before = tf.memory().numTensors;
    const { history } = await trainClassifier(tf, model, data, { epochs: 3, batchSize: 32, learningRate: 0.1, optimizer: "sgd", seed: 1 }, quiet);
    assert.equal(tf.memory().numTensors, before, "training the CNN leaked tensors");
    assert.ok(history[3].testAccuracy > 0.9, `test accuracy ${history[0].testAccuracy} -> ${history[3].testAccuracy}`);
    await assert.rejects(
      trainClassifier(tf, model, { ...data, inputShape: [28, 28, 1] }, config, quiet),
      /model takes inputs of shape \[784\] but data\.inputShape is \[28, 28, 1\]/,
    );
    model.dispose();
  });
});

describe("trainClassifier with dropout", () => {
  const hidden = (dropout: LayerSpec[]): LayerSpec[] => [{ type: "dense", units: 8 }, { type: "relu" }, ...dropout];

  async function trainedDropoutWeights(backend: TrainingBackendName, layers: LayerSpec[], seed: number): Promise<Buffer> {
    const { tf } = await initTrainingBackend({ backend });
    const model = buildModel(tf, { layers, seed: 3 }, { inputSize: 784, classes: 10 });
    await trainClassifier(tf, model, data, { ...config, seed }, quiet);
    const bytes = weightBytes(model);
    model.dispose();
    return bytes;
  }

  for (const backend of ["cpu", "wasm"] as const) {
    test(`on ${backend}, the same seed gives bit-identical weights, another seed other masks`, async () => {
      const layers = hidden([{ type: "dropout", rate: 0.5 }]);
      const first = await trainedDropoutWeights(backend, layers, 7);
      assert.ok(first.equals(await trainedDropoutWeights(backend, layers, 7)), "two runs with the same seed differ");
      assert.ok(!first.equals(await trainedDropoutWeights(backend, layers, 8)), "a different seed gave the same weights");
    });
  }

  test("rate 0 trains exactly like no dropout layer", async () => {
    const without = await trainedDropoutWeights("wasm", hidden([]), 7);
    const withZero = await trainedDropoutWeights("wasm", hidden([{ type: "dropout", rate: 0 }]), 7);
    assert.ok(without.equals(withZero));
  });

  test("every step draws a fresh mask, and the model keeps its own dropout config", async () => {
    // input -> dropout_1 -> logits, one all-ones image, one step per epoch: a logits kernel row
    // changes in a step exactly when that step's mask kept its input unit.
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const units = 64;
    const model = buildModel(tf, { layers: [{ type: "dropout", rate: 0.5 }], seed: 1 }, { inputSize: units, classes: 2 });
    const configBefore = JSON.stringify(model.getLayer("dropout_1").getConfig());
    const one = { trainImages: new Uint8Array(units).fill(255), trainLabels: new Uint8Array([0]) };
    const single = { ...one, testImages: one.trainImages, testLabels: one.trainLabels, classes: 2, inputShape: [units] };
    const kernels: Float32Array[] = [];
    await trainClassifier(
      tf,
      model,
      single,
      { epochs: 3, batchSize: 1, learningRate: 0.1, optimizer: "sgd", seed: 1 },
      {
        ...quiet,
        onEpochEnd: (_epoch, _metrics, m) => void kernels.push(m.getLayer("logits").getWeights()[0].dataSync().slice() as Float32Array),
      },
    );
    const keptRows = (step: number) => {
      const rows: number[] = [];
      for (let row = 0; row < units; row++) if (kernels[step][row * 2] !== kernels[step - 1][row * 2]) rows.push(row);
      return rows.join(",");
    };
    const masks = [1, 2, 3].map(keptRows);
    assert.equal(new Set(masks).size, 3, `steps reused a mask: ${masks.join(" | ")}`);
    for (const mask of masks) {
      const kept = mask.split(",").length;
      assert.ok(kept > units / 4 && kept < (units * 3) / 4, `kept ${kept} of ${units} units at rate 0.5`);
    }
    assert.equal(JSON.stringify(model.getLayer("dropout_1").getConfig()), configBefore, "training left its per-step seed in the layer's config");
    model.dispose();
  });
});

describe("trainClassifier with penalties", () => {
  const mlp: LayerSpec[] = [{ type: "dense", units: 8 }, { type: "relu" }];
  const sparse: PenaltySpec = { kind: "activation-l1", layers: ["relu_1"], coefficient: 0.05 };
  const border: PenaltySpec = { kind: "weight-l1", layer: "dense_1", coefficient: 0.01, inputs: "blank-pixels", blankFraction: 0.5 };
  // syntheticData's noise seldom draws a 0: blank the last 84 pixels of every training image.
  const bordered = { ...data, trainImages: data.trainImages.slice(), testImages: data.testImages.slice() };
  for (let i = 0; i < bordered.trainLabels.length; i++) bordered.trainImages.fill(0, i * 784 + 700, (i + 1) * 784);

  async function train(penalties: PenaltySpec[] | undefined, trainConfig: Partial<TrainConfig> = {}) {
    const { tf } = await initTrainingBackend({ backend: "wasm" });
    const model = buildModel(tf, { layers: mlp, seed: 3 }, { inputSize: 784, classes: 10 });
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const result = await trainClassifier(tf, model, bordered, { ...config, ...trainConfig, penalties }, { log: (line) => lines.push(line) });
    assert.equal(tf.memory().numTensors, before, "training with penalties leaked tensors");
    return { tf, model, result, lines, weights: weightBytes(model) };
  }

  test("history reports cross-entropy as trainLoss and the penalties apart; the result reports the mask", async () => {
    const plain = await train(undefined);
    const penalized = await train([sparse, border]);
    assert.equal(plain.result.penalties, undefined);
    assert.ok(plain.result.history.every((h) => h.trainPenalty === undefined));
    assert.deepEqual(penalized.result.penalties, [sparse, { ...border, maskedPixels: 84, pixels: 784 }]);
    assert.ok(penalized.result.history.every((h) => typeof h.trainPenalty === "number" && h.trainPenalty > 0));
    // Epoch 0 is the same untrained model: the same cross-entropy whatever the penalties.
    assert.equal(penalized.result.history[0].trainLoss, plain.result.history[0].trainLoss);
    assert.ok(!penalized.weights.equals(plain.weights), "the penalties changed nothing");
    assert.match(penalized.lines[1], /^penalty activation-l1 x 0\.05 on relu_1$/);
    assert.match(penalized.lines[2], /^penalty weight-l1 x 0\.01 on dense_1, rows of 84\/784 pixels that are 0 in >= 50% of training images$/);
    assert.match(penalized.lines[3], /^epoch 0\/2 {2}loss \d+\.\d{4} {2}penalty \d\.\d{3}/);
    [plain, penalized].forEach((run) => run.model.dispose());
  });

  test("a coefficient of 0 trains exactly like no penalty", async () => {
    const plain = await train(undefined);
    const zero = await train([
      { ...sparse, coefficient: 0 },
      { ...border, coefficient: 0 },
    ]);
    assert.ok(zero.weights.equals(plain.weights));
    assert.deepEqual(
      zero.result.history.map((h) => h.trainLoss),
      plain.result.history.map((h) => h.trainLoss),
    );
    [plain, zero].forEach((run) => run.model.dispose());
  });

  test("activation-l1 lowers the layer's activations; weight-l1 shrinks the blank pixels' kernel rows", async () => {
    const plain = await train(undefined);
    const sparser = await train([{ ...sparse, coefficient: 0.5 }]);
    const l1 = (model: LayersModel) =>
      plain.tf.tidy(() => {
        const probe = plain.tf.model({ inputs: model.inputs, outputs: model.getLayer("relu_1").output as SymbolicTensor });
        const x = plain.tf.div(plain.tf.tensor2d(Float32Array.from(bordered.trainImages.subarray(0, 256 * 784)), [256, 784]), 255);
        return plain.tf.sum(plain.tf.abs(probe.predict(x) as Tensor)).dataSync()[0];
      });
    assert.ok(l1(sparser.model) < 0.8 * l1(plain.model), `relu_1 L1 ${l1(sparser.model)} vs ${l1(plain.model)} without the penalty`);

    const shrunk = await train([{ ...border, coefficient: 0.05 }]);
    const borderL1 = (model: LayersModel) =>
      (model.getLayer("dense_1").getWeights()[0].dataSync() as Float32Array).subarray(700 * 8).reduce((s, v) => s + Math.abs(v), 0);
    assert.ok(borderL1(shrunk.model) < 0.9 * borderL1(plain.model), `border rows L1 ${borderL1(shrunk.model)} vs ${borderL1(plain.model)}`);
    [plain, sparser, shrunk].forEach((run) => run.model.dispose());
  });

  test("bad penalties are rejected before training, with the config field named", async () => {
    await assert.rejects(
      train([{ ...sparse, coefficient: -1 }]),
      /bad config: penalties\[0\] \(activation-l1\): coefficient must be a finite number >= 0, got -1/,
    );
    await assert.rejects(train([{ ...sparse, layers: ["relu_7"] }]), /config\.penalties\[0\] \(activation-l1\): the model has no layer "relu_7"/);
  });
});
