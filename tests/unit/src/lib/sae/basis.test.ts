import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { checkBasis, fromBasis, toBasis, uploadBasis, type FittedBasis } from "../../../../../src/lib/sae/basis.js";
import { icaBasis, pcaBasis } from "../../../../../src/lib/sae/fit-basis.js";

/** ReLU-like activations: mixes of a few sparse sources, with column `deadColumn` (if any) always 0. */
function activations(rows: number, cols: number, seed: number, deadColumn = -1): ActivationMatrix {
  const random = mulberry32(seed);
  const mixing = Float64Array.from({ length: 4 * cols }, () => gaussian(random));
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const sources = [0, 1, 2, 3].map(() => (random() < 0.3 ? random() * 2 : 0) + 0.05 * gaussian(random));
    for (let c = 0; c < cols; c++) {
      if (c === deadColumn) continue;
      let value = 0;
      for (let s = 0; s < 4; s++) value += sources[s] * mixing[s * cols + c];
      data[r * cols + c] = Math.max(0, value + 0.02 * gaussian(random));
    }
  }
  return { rows, cols, data };
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};

describe("SAE input bases", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("PCA is a full rotation: every component kept, the inverse undoes it, the coordinates are centred", () => {
    const m = activations(400, 6, 1, 2);
    const basis = pcaBasis(m);
    assert.equal(basis.dIn, 6);
    assert.equal(basis.dLayer, 6);
    const z = toBasis(basis, m);
    for (let i = 0; i < 6; i++) {
      let mean = 0;
      for (let r = 0; r < z.rows; r++) mean += z.data[r * 6 + i] / z.rows;
      assert.ok(Math.abs(mean) < 1e-5, `component ${i} has mean ${mean}`);
    }
    assert.ok(maxDifference(fromBasis(basis, z).data, m.data) < 1e-5);
  });

  test("ICA keeps the directions that have variance and maps back within that subspace", () => {
    const m = activations(2000, 5, 2, 4);
    const { basis, converged } = icaBasis(m, 1);
    assert.equal(basis.dIn, 4, "the always-zero unit has no variance");
    assert.ok(converged);
    const back = fromBasis(basis, toBasis(basis, m));
    assert.ok(maxDifference(back.data, m.data) < 1e-4, `${maxDifference(back.data, m.data)}`);
  });

  test("ICA leaves out a direction with almost no variance instead of whitening it into a coordinate that explodes on new inputs", () => {
    // Five units driven by sparse sources and a sixth that, in the rows ICA is fitted on, fires on
    // 1% of inputs at 0.001 (variance ~1e-8 of the largest), as a rarely-firing unit does in a
    // fitting sample. Whitening that direction multiplies it by ~1e4, so on a new input where the
    // unit fires at an ordinary 1.0 the coordinate reached ~1e4 while the input moved by ~1: the
    // SAE read that outlier, and its error on it came back to the layer through the mixing matrix
    // (the CNN's relu_3 went to variance explained −8.8 this way).
    const all = activations(2200, 6, 5, 5);
    const fitted: ActivationMatrix = { rows: 2000, cols: 6, data: all.data.slice(0, 2000 * 6) };
    const random = mulberry32(6);
    for (let r = 0; r < fitted.rows; r++) if (random() < 0.01) fitted.data[r * 6 + 5] = 0.001;
    const { basis } = icaBasis(fitted, 1);
    assert.equal(basis.dIn, 5, "the near-constant unit is not a coordinate");

    // New inputs from the same sources, the rare unit firing at 1 on every tenth.
    const fresh: ActivationMatrix = { rows: 200, cols: 6, data: all.data.slice(2000 * 6) };
    for (let r = 0; r < fresh.rows; r += 10) fresh.data[r * 6 + 5] = 1;
    const z = toBasis(basis, fresh);
    const largest = (m: ActivationMatrix) => m.data.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    const zFitted = largest(toBasis(basis, fitted));
    assert.ok(largest(z) < 2 * zFitted, `new inputs reach |z| = ${largest(z)}, the fitted ones ${zFitted}`);
    // What is left out carries no variance to speak of: the fitted rows still map back.
    const back = fromBasis(basis, toBasis(basis, fitted));
    assert.ok(maxDifference(back.data, fitted.data) < 2e-3, `${maxDifference(back.data, fitted.data)}`);
  });

  test("on the backend it computes what the host computes, leaving no tensors", () => {
    const m = activations(50, 5, 3, 1);
    for (const basis of [pcaBasis(m), icaBasis(m, 2).basis]) {
      const before = tf.memory().numTensors;
      const uploaded = uploadBasis(tf, basis);
      const [z, back] = tf.tidy(() => {
        const zt = uploaded.toBasis(tf.tensor2d(m.data, [m.rows, m.cols]));
        return [zt.dataSync(), uploaded.fromBasis(zt).dataSync()];
      });
      uploaded.dispose();
      assert.equal(tf.memory().numTensors, before, "leaked tensors");
      assert.ok(maxDifference(z, toBasis(basis, m).data) < 1e-5, basis.name);
      assert.ok(maxDifference(back, fromBasis(basis, toBasis(basis, m)).data) < 1e-5, basis.name);
    }
  });

  test("bad bases and mismatched activations are reported", () => {
    const basis: FittedBasis = pcaBasis(activations(20, 3, 4));
    assert.throws(() => checkBasis({ ...basis, dIn: 4 }), /dIn must be an integer from 1 to dLayer \(3\), found 4/);
    assert.throws(() => checkBasis({ ...basis, mean: new Float32Array(2) }), /mean must hold 3 values, found 2/);
    assert.throws(
      () => toBasis(basis, { rows: 1, cols: 2, data: new Float32Array(2) }),
      /toBasis: the pca basis takes 3 values per row, the activations have 2/,
    );
    assert.throws(() => icaBasis({ rows: 3, cols: 2, data: new Float32Array(6) }, 1), /do not vary/);
  });
});
