import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeInput } from "../../../../../src/lib/probes/probe-input.js";
import { blobs } from "./fixtures.js";

describe("every probe of one input", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("blobs plus a noise column: exact task, SVM too, a control at chance-like accuracy, selectivity = task − control, the sparse probes ranked by F", async () => {
    const make = (seed: number) => {
      const { x, labels } = blobs(40, seed);
      // Column 2: noise unrelated to the class; the control labels are unrelated to everything.
      const data = new Float32Array(x.rows * 3);
      for (let r = 0; r < x.rows; r++) data.set([x.data[2 * r], x.data[2 * r + 1], ((r * 7) % 5) / 5], 3 * r);
      const control = Uint8Array.from({ length: x.rows }, (_, r) => Math.floor(r / 3) % 3);
      return { x: { rows: x.rows, cols: 3, data }, labels, control };
    };
    const scores = await probeInput(tf, make(1), make(2), { classes: 3, svm: true, sparse: true });
    assert.equal(scores.logistic.testAccuracy, 1);
    assert.equal(scores.svm?.testAccuracy, 1);
    assert.ok(scores.control !== null && scores.control.testAccuracy < 0.7, `control ${scores.control?.testAccuracy}`);
    assert.equal(scores.selectivity, scores.logistic.testAccuracy - (scores.control?.testAccuracy ?? NaN));
    assert.deepEqual(
      scores.sparse?.map((s) => s.k),
      [1, 2, 3],
    );
    // The noise column is ranked last; the two blob coordinates together separate the classes.
    assert.equal(scores.sparse?.[1].columns.includes(2), false);
    assert.equal(scores.sparse?.[1].testAccuracy, 1);
    assert.equal(scores.weights.length, 9);
    assert.equal(scores.logistic.perClass.length, 3);
  });
});
