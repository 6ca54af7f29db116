import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { dropoutSeeder } from "../../../../data-loaders/training/dropout-seeds.js";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { buildModel } from "../../../../src/lib/models/architecture.js";
import type { SymbolicTensor } from "@tensorflow/tfjs";
import type { LayersModel, Tensor } from "../../../../src/lib/tf-types.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

/** The training-mode output of a layer on ones: the dropout multiplier, 0 or 1 / (1 - rate). */
function multipliers(model: LayersModel, layerName: string, rows: number, units: number): Float32Array {
  return tf.tidy(() => {
    const view = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as SymbolicTensor });
    return (view.apply(tf.ones([rows, units]), { training: true }) as Tensor).dataSync() as Float32Array;
  });
}

/** input [units] -> dropout_1 -> dropout_2 -> logits */
function dropoutModel(units: number, rate: number): LayersModel {
  return buildModel(
    tf,
    {
      layers: [
        { type: "dropout", rate },
        { type: "dropout", rate },
      ],
      seed: 1,
    },
    { inputSize: units, classes: 2 },
  );
}

const keptPattern = (values: Float32Array) => Array.from(values, (v) => (v === 0 ? "0" : "1")).join("");

describe("tfjs Dropout (the behaviour dropoutSeeder works around)", () => {
  test("a seeded Dropout drops the same units on every call", () => {
    const input = tf.input({ shape: [64] });
    const layer = tf.layers.dropout({ rate: 0.5, seed: 7 });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as SymbolicTensor });
    const first = multipliers(model, layer.name, 1, 64);
    const second = multipliers(model, layer.name, 1, 64);
    assert.equal(keptPattern(first), keptPattern(second));
    model.dispose();
  });
});

describe("dropoutSeeder", () => {
  test("each step gets a fresh mask, each layer its own, and the same step the same mask", () => {
    const model = dropoutModel(256, 0.5);
    const seeder = dropoutSeeder(model, 3);
    seeder.forStep(1, 0);
    const step0 = keptPattern(multipliers(model, "dropout_1", 1, 256));
    const step0Again = keptPattern(multipliers(model, "dropout_1", 1, 256));
    assert.equal(step0, step0Again, "a step's mask must not change within the step (forward and backward agree)");
    seeder.forStep(1, 1);
    const step1 = keptPattern(multipliers(model, "dropout_1", 1, 256));
    assert.notEqual(step1, step0, "consecutive steps reused a mask");
    seeder.forStep(2, 0);
    assert.notEqual(keptPattern(multipliers(model, "dropout_1", 1, 256)), step0, "the same batch index in another epoch reused a mask");

    // dropout_2 sees dropout_1's output: its own mask shows where dropout_1 kept a unit and it dropped it.
    seeder.forStep(1, 0);
    const both = keptPattern(multipliers(model, "dropout_2", 1, 256));
    assert.notEqual(both, step0, "the second layer drew the first layer's mask");

    const again = dropoutSeeder(model, 3);
    again.forStep(1, 0);
    assert.equal(keptPattern(multipliers(model, "dropout_1", 1, 256)), step0, "the same seed and step gave another mask");
    const otherSeed = dropoutSeeder(model, 4);
    otherSeed.forStep(1, 0);
    assert.notEqual(keptPattern(multipliers(model, "dropout_1", 1, 256)), step0, "another training seed gave the same mask");
    model.dispose();
  });

  test("keeps about 1 - rate of the units and scales the kept ones by 1 / (1 - rate)", () => {
    const rate = 0.3;
    const model = dropoutModel(1000, rate);
    dropoutSeeder(model, 1).forStep(1, 0);
    const values = multipliers(model, "dropout_1", 100, 1000);
    const kept = values.filter((v) => v !== 0);
    assert.ok(
      kept.every((v) => Math.abs(v - 1 / (1 - rate)) < 1e-6),
      "kept units must be scaled by 1 / (1 - rate)",
    );
    // 100,000 draws: the kept fraction's standard deviation is about 0.0015.
    const fraction = kept.length / values.length;
    assert.ok(Math.abs(fraction - (1 - rate)) < 0.01, `kept fraction ${fraction}, expected about ${1 - rate}`);
    model.dispose();
  });

  test("restore puts back the layers' own seeds, so the saved config does not change", () => {
    const model = dropoutModel(8, 0.5);
    const before = JSON.stringify(model.getLayer("dropout_1").getConfig());
    const seeder = dropoutSeeder(model, 3);
    seeder.forStep(4, 2);
    assert.notEqual(JSON.stringify(model.getLayer("dropout_1").getConfig()), before);
    seeder.restore();
    assert.equal(JSON.stringify(model.getLayer("dropout_1").getConfig()), before);
    model.dispose();
  });
});
