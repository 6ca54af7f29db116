import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { plantDirections } from "../../../../../src/lib/planted/generate.js";
import { decoderStability, firingScores, hungarianMcc, meanMaxCosine } from "../../../../../src/lib/planted/recovery.js";
import { gaussian, mulberry32, permutation } from "../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-6) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);
const matrix = (rows: number[][]): ActivationMatrix => ({ rows: rows.length, cols: rows[0].length, data: Float32Array.from(rows.flat()) });
const randomMatrix = (rows: number, cols: number, seed: number): ActivationMatrix => {
  const random = mulberry32(seed);
  return { rows, cols, data: Float32Array.from({ length: rows * cols }, () => gaussian(random)) };
};
const rotation = (theta: number) =>
  matrix([
    [Math.cos(theta), Math.sin(theta)],
    [-Math.sin(theta), Math.cos(theta)],
  ]);
const identity2 = matrix([
  [1, 0],
  [0, 1],
]);

describe("hungarianMcc and meanMaxCosine", () => {
  test("MCC = 1 for a permutation of the truth with sign flips and rescaled rows, and the matching undoes the permutation", () => {
    const n = 12;
    const d = 6;
    const truth: ActivationMatrix = { rows: n, cols: d, data: plantDirections(n, d, 3) };
    const order = permutation(n, mulberry32(4));
    const learned = new Float32Array(n * d);
    for (let j = 0; j < n; j++) {
      const sign = j % 3 === 0 ? -1 : 1;
      const scale = 0.5 + j; // decoder rows need not be unit norm
      for (let k = 0; k < d; k++) learned[j * d + k] = sign * scale * truth.data[order[j] * d + k];
    }
    const result = hungarianMcc(truth, { rows: n, cols: d, data: learned });
    close(result.mcc, 1);
    close(result.coverage, 1);
    for (let j = 0; j < n; j++) assert.equal(result.matching[order[j]], j);
    close(meanMaxCosine(truth, { rows: n, cols: d, data: learned }).mean, 1);
  });

  test("a 2 × 2 rotation by θ scores cos θ (θ = 0.3); past 45° the matching swaps and scores sin θ (θ = 1.2)", () => {
    const small = hungarianMcc(identity2, rotation(0.3));
    close(small.mcc, Math.cos(0.3));
    assert.deepEqual(Array.from(small.matching), [0, 1]);
    close(meanMaxCosine(identity2, rotation(0.3)).mean, Math.cos(0.3));
    const large = hungarianMcc(identity2, rotation(1.2));
    close(large.mcc, Math.sin(1.2));
    assert.deepEqual(Array.from(large.matching), [1, 0]);
  });

  test("meanMaxCosine ≥ MCC when m ≥ n, and ≥ the coverage (Σ matched |cos| / n) for any m", () => {
    for (let trial = 0; trial < 30; trial++) {
      const n = 3 + (trial % 5);
      const m = [n - 2, n, n + 3, 2 * n][trial % 4];
      const truth = randomMatrix(n, 4, 100 + trial);
      const learned = randomMatrix(m, 4, 200 + trial);
      const mmc = meanMaxCosine(truth, learned);
      const mcc = hungarianMcc(truth, learned);
      assert.ok(mmc.mean >= mcc.coverage - 1e-12, `trial ${trial}: ${mmc.mean} < coverage ${mcc.coverage}`);
      if (m >= n) {
        assert.ok(mmc.mean >= mcc.mcc - 1e-12, `trial ${trial}: ${mmc.mean} < MCC ${mcc.mcc}`);
        close(mcc.coverage, mcc.mcc, 1e-12);
      }
      for (let i = 0; i < n; i++) assert.ok(mmc.perFeature[i] >= mcc.cosines[i] - 1e-12);
      assert.equal(Array.from(mcc.matching).filter((j) => j >= 0).length, Math.min(n, m));
    }
  });

  test("a zero decoder row scores 0; a zero true direction, a dimension mismatch or a NaN is an error", () => {
    const result = hungarianMcc(
      identity2,
      matrix([
        [0, 0],
        [0, 3],
        [0, 0],
      ]),
    );
    close(result.mcc, 0.5);
    assert.equal(result.matching[1], 1);
    assert.throws(
      () =>
        hungarianMcc(
          matrix([
            [0, 0],
            [1, 0],
          ]),
          identity2,
        ),
      /hungarianMcc: truth: row 0 is all zeros/,
    );
    assert.throws(() => meanMaxCosine(identity2, matrix([[1, 0, 0]])), /meanMaxCosine: truth and learned must have the same dimension d, found 2 and 3/);
    assert.throws(() => hungarianMcc(identity2, matrix([[1, NaN]])), /hungarianMcc: learned: expected finite values, found NaN/);
    assert.throws(() => meanMaxCosine(identity2, { rows: 1, cols: 2, data: new Float32Array(3) }), /expected data.length = rows × cols = 1 × 2 = 2, found 3/);
  });
});

describe("firingScores", () => {
  test("a hand case: two true features matched to latents 2 and 0 over five samples", () => {
    // samples × n = 5 × 2
    const trueCodes = [1, 0, /**/ 1, 1, /**/ 0, 1, /**/ 1, 0, /**/ 0, 0];
    // samples × m = 5 × 3; latent 1 is unmatched, and −1 is not "> 0"
    const learnedCodes = [0, 5, 0.5, /**/ 0.2, 0, 0, /**/ 0.3, 0, 0.1, /**/ 0, 0, 2, /**/ 0.4, 0, -1];
    // feature 0 vs latent 2: TP at samples 0 and 3, FN at 1, FP at 2 → P = R = F1 = 2/3.
    // feature 1 vs latent 0: TP at 1 and 2, FP at 4, no FN → P = 2/3, R = 1, F1 = 0.8.
    const scores = firingScores(trueCodes, learnedCodes, Int32Array.from([2, 0]), 5);
    close(scores.precision[0], 2 / 3);
    close(scores.recall[0], 2 / 3);
    close(scores.f1[0], 2 / 3);
    close(scores.precision[1], 2 / 3);
    close(scores.recall[1], 1);
    close(scores.f1[1], 0.8);
    close(scores.mean.precision, 2 / 3);
    close(scores.mean.recall, 5 / 6);
    close(scores.mean.f1, (2 / 3 + 0.8) / 2);
    assert.equal(scores.matched, 2);

    const partial = firingScores(trueCodes, learnedCodes, Int32Array.from([-1, 1]), 5);
    assert.ok(Number.isNaN(partial.f1[0]), "an unmatched feature has no scores");
    // latent 1 fires only at sample 0, where feature 1 does not: TP 0, so precision 0, recall 0, F1 0.
    assert.equal(partial.f1[1], 0);
    assert.equal(partial.matched, 1);
    assert.equal(partial.mean.f1, 0);
  });

  test("bad shapes and matchings are errors", () => {
    assert.throws(() => firingScores([1, 0, 1], [1, 1], Int32Array.from([0]), 2), /trueCodes must be samples × n = 2 × n values, found 3/);
    assert.throws(() => firingScores([1, 0], [1, 1], Int32Array.from([0, 0]), 2), /matching must have one entry per true feature \(n = 1\), found 2/);
    assert.throws(() => firingScores([1, 0], [1, 1], Int32Array.from([1]), 2), /matching\[0\] must be −1 or a latent in 0..0, found 1/);
    assert.throws(() => firingScores([1, 0], [1, NaN], Int32Array.from([0]), 2), /learnedCodes must not contain NaN, found one at sample 1/);
  });
});

describe("decoderStability", () => {
  test("PW-MCC is 1 between a decoder and its own permuted, sign-flipped copy, cos θ against a rotation, and symmetric", () => {
    const a = randomMatrix(10, 5, 9);
    const order = permutation(10, mulberry32(10));
    const b = { rows: 10, cols: 5, data: new Float32Array(50) };
    for (let j = 0; j < 10; j++) for (let k = 0; k < 5; k++) b.data[j * 5 + k] = (j % 2 ? -2 : 1) * a.data[order[j] * 5 + k];
    close(decoderStability(a, b).pwMcc, 1);
    close(decoderStability(identity2, rotation(0.4)).pwMcc, Math.cos(0.4));
    const c = randomMatrix(7, 5, 12);
    close(decoderStability(a, c).pwMcc, decoderStability(c, a).pwMcc, 1e-12);
    // Dead (zero) rows are allowed on either side here.
    close(
      decoderStability(
        matrix([
          [0, 0],
          [1, 0],
        ]),
        identity2,
      ).pwMcc,
      0.5,
    );
  });
});
