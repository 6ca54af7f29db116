import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createInterventionRunner } from "../../../../../src/lib/network/intervention.js";
import { networkActivations } from "../../../../../src/lib/network/forward.js";
import type { Network } from "../../../../../src/lib/network/network.js";
import { networkOf, randomInputs, smallCnn } from "./fixtures.js";

// 2 inputs -> 2 hidden (relu(identity · x)) -> 2 classes (class c reads hidden unit c):
// the prediction is whichever input is larger, after the intervention.
const tiny: Network = {
  name: "tiny",
  inputShape: [2],
  layers: [
    { kind: "dense", name: "dense_1", inputSize: 2, units: 2, kernel: Float32Array.from([1, 0, 0, 1]), bias: new Float32Array(2) },
    { kind: "relu", name: "relu_1" },
    { kind: "dense", name: "logits", inputSize: 2, units: 2, kernel: Float32Array.from([1, 0, 0, 1]), bias: new Float32Array(2) },
  ],
};

describe("intervention runner on any layer stack", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("ablating or scaling a unit flips exactly the predictions it should (hand-computed)", async () => {
    const runner = createInterventionRunner(tf, tiny, Float32Array.from([0.6, 0.4, 0.2, 0.9]), 2);
    try {
      assert.deepEqual([...(await runner.baseline())], [0, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [0], scale: 0 }))], [1, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 0 }))], [0, 0]);
      // 0.4 × 2 = 0.8 > 0.6 flips the first example; 0.4 × 1.4 = 0.56 < 0.6 does not.
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 2 }))], [1, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 1.4 }))], [0, 1]);
      // Before the ReLU works the same way here (inputs are positive).
      assert.deepEqual([...(await runner.run({ layer: "dense_1", units: [0], scale: 0 }))], [1, 1]);
      const sweep = await runner.sweep({ layer: "relu_1", units: [1] }, [0, 1.4, 2]);
      assert.deepEqual(
        sweep.map((p) => [...p]),
        [
          [0, 0],
          [0, 1],
          [1, 1],
        ],
      );
    } finally {
      runner.dispose();
    }
  });

  test("a CNN channel ablation equals zeroing that channel by hand; scale 1 equals the baseline", async () => {
    const model = smallCnn();
    const network = await networkOf(model);
    const count = 40;
    const images = randomInputs(count * 105, 12);
    const before = tf.memory().numTensors;
    const runner = createInterventionRunner(tf, network, images, count, { batchSize: 16 });
    try {
      const baseline = await runner.baseline();
      const clean = await networkActivations(tf, network, images, count);
      assert.deepEqual([...baseline], argmaxRows(clean.logits.data, 3));
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [0, 2], scale: 1 }))], [...baseline]);
      // By hand: zero channels 0 and 2 of relu_1 and run the rest of the tfjs model.
      const relu = clean.relu_1;
      const ablated = Float32Array.from(relu.data, (v, i) => (i % 5 === 0 || i % 5 === 2 ? 0 : v));
      const expected = tf.tidy(() => {
        let x: tf.Tensor = tf.tensor4d(ablated, [count, 5, 3, 5]);
        for (const name of ["pool_1", "conv_2", "relu_2", "flatten", "dense_1", "relu_3", "logits"]) x = model.getLayer(name).apply(x) as tf.Tensor;
        return argmaxRows(x.dataSync() as Float32Array, 3);
      });
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [0, 2], scale: 0 }))], expected);
      // A layer over the cache budget is recomputed from the input each run, with the same result.
      const uncached = createInterventionRunner(tf, network, images, count, { batchSize: 16, cacheBudget: 1 });
      assert.deepEqual([...(await uncached.run({ layer: "relu_1", units: [0, 2], scale: 0 }))], expected);
      assert.deepEqual(
        (await uncached.sweep({ layer: "pool_1", units: [1] }, [0, 1])).map((p) => [...p]),
        (await runner.sweep({ layer: "pool_1", units: [1] }, [0, 1])).map((p) => [...p]),
      );
      uncached.dispose();
      // Several layers in turn stay correct with a one-layer cache.
      const small = createInterventionRunner(tf, network, images, count, { cachedLayers: 1 });
      for (const layer of ["conv_1", "relu_2", "relu_1"]) assert.equal((await small.run({ layer, units: [0], scale: 1 })).join(), baseline.join());
      small.dispose();
    } finally {
      runner.dispose();
    }
    assert.equal(tf.memory().numTensors, before + 0, "the runner leaked tensors after dispose");
    model.dispose();
  });

  test("steering adds a direction to every image; the logit shift of a linear read-out is exact", async () => {
    // Inputs (0.6, 0.4) and (0.2, 0.9): predictions [0, 1]. Adding (0.5, 0) to relu_1 makes both 0.
    const runner = createInterventionRunner(tf, tiny, Float32Array.from([0.6, 0.4, 0.2, 0.9]), 2);
    const [none, some, more] = await runner.steer("relu_1", Float32Array.from([0.5, 0]), [0, 0.5, 2]);
    assert.deepEqual([...none], [0, 1]);
    assert.deepEqual([...some], [0, 1]); // 0.2 + 0.25 < 0.9
    assert.deepEqual([...more], [0, 0]); // 0.2 + 1 > 0.9
    // logits = relu_1 · I: adding d shifts the logits by exactly d.
    assert.deepEqual([...(await runner.logitShift("relu_1", Float32Array.from([0.5, -0.25])))], [0.5, -0.25]);
    await assert.rejects(runner.steer("relu_1", Float32Array.from([1]), [1]), /must hold 2 values \(one per unit\), found 1/);
    runner.dispose();
  });

  test("bad layers, units and scales are reported; a disposed runner says so", async () => {
    const runner = createInterventionRunner(tf, tiny, Float32Array.from([1, 0]), 1);
    await assert.rejects(runner.run({ layer: "logits", units: [0], scale: 0 }), /layer must be one of \[dense_1, relu_1\], found "logits"/);
    await assert.rejects(runner.run({ layer: "relu_1", units: [2], scale: 0 }), /unit 2 does not exist; relu_1 has units 0 to 1/);
    await assert.rejects(runner.run({ layer: "relu_1", units: [], scale: 0 }), /choose at least one unit of relu_1/);
    await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: -1 }), /scale must be >= 0/);
    await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: NaN }), /scale must be a finite number, found NaN/);
    runner.dispose();
    await assert.rejects(runner.baseline(), /the runner was disposed/);
  });

  test("repeated runs do not leak tensors", async () => {
    const runner = createInterventionRunner(tf, tiny, randomInputs(20, 3), 10);
    await runner.run({ layer: "relu_1", units: [0], scale: 0.5 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await runner.run({ layer: "relu_1", units: [i % 2], scale: i / 10 });
    await runner.sweep({ layer: "relu_1", units: [0] }, [0, 1, 2]);
    assert.equal(tf.memory().numTensors, before);
    runner.dispose();
  });
});

function argmaxRows(values: Float32Array, classes: number): number[] {
  const result: number[] = [];
  for (let r = 0; r < values.length / classes; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[r * classes + c] > values[r * classes + best]) best = c;
    result.push(best);
  }
  return result;
}
