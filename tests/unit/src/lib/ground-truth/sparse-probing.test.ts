// k-sparse probing against answers known by construction: a column that is the target, a target
// that needs two columns, noise, and the seeded splits.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import {
  balancedRows,
  classTargets,
  kSparseProbe,
  meanDifferences,
  rankByMeanDifference,
  splitProbeSet,
  splitRows,
  summarizeSparseProbes,
  type SparseProbeResult,
} from "../../../../../src/lib/ground-truth/sparse-probing.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

/** `rows` × `cols` standard Gaussian noise, with column `c` replaced by `columns[c]` where given. */
function matrix(rows: number, cols: number, seed: number, columns: Record<number, (r: number) => number> = {}): ActivationMatrix {
  const random = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = columns[c] ? columns[c](r) : gaussian(random);
  return { rows, cols, data };
}

describe("splitRows", () => {
  test("is reproducible for a seed, disjoint, covers every row, and changes with the seed", () => {
    const a = splitRows(1000, 0.5, 7);
    const b = splitRows(1000, 0.5, 7);
    assert.deepEqual(a, b);
    assert.equal(a.train.length, 500);
    assert.equal(a.test.length, 500);
    const seen = new Uint8Array(1000);
    for (const r of [...a.train, ...a.test]) seen[r]++;
    assert.ok(
      seen.every((n) => n === 1),
      "each row exactly once",
    );
    for (const part of [a.train, a.test]) for (let i = 1; i < part.length; i++) assert.ok(part[i] > part[i - 1], "ascending");
    assert.notDeepEqual(splitRows(1000, 0.5, 8).train, a.train);
  });

  test("stratified: each stratum is split in the fraction", () => {
    const strata = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const { train, test } = splitRows(1000, 0.3, 3, strata);
    assert.equal(train.filter((r) => strata[r] === 1).length, 30);
    assert.equal(train.filter((r) => strata[r] === 0).length, 270);
    assert.equal(train.length + test.length, 1000);
    assert.deepEqual(splitRows(1000, 0.3, 3, strata), { train, test });
  });

  test("rejects a fraction outside (0, 1) and strata of the wrong length", () => {
    assert.throws(() => splitRows(10, 1, 1), /trainFraction must be in \(0, 1\), found 1/);
    assert.throws(() => splitRows(10, 0.5, 1, new Uint8Array(9)), /one stratum per row \(10\), found 9/);
  });
});

describe("selection by mean difference", () => {
  test("ranks by |mean⁺ − mean⁻|, or by the signed difference", () => {
    const positive = Uint8Array.of(1, 1, 0, 0);
    // column 0: +1 difference, column 1: −3, column 2: 0
    const x = { rows: 4, cols: 3, data: Float32Array.of(2, 0, 5, 2, 0, 5, 1, 3, 5, 1, 3, 5) };
    assert.deepEqual(Array.from(meanDifferences(x, positive)), [1, -3, 0]);
    assert.deepEqual(Array.from(rankByMeanDifference(x, positive)), [1, 0, 2]);
    assert.deepEqual(Array.from(rankByMeanDifference(x, positive, "positive")), [0, 2, 1]);
  });

  test("balancedRows keeps the smaller class whole and as many of the larger", () => {
    const positive = Uint8Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const rows = balancedRows(positive, 1);
    assert.equal(rows.length, 40);
    assert.equal(rows.filter((r) => positive[r] === 1).length, 20);
    assert.deepEqual(balancedRows(positive, 1), rows);
  });
});

describe("kSparseProbe", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("a column equal to the target gives accuracy 1 at k = 1, and is the column chosen", async () => {
    const rows = 600;
    const target = Uint8Array.from({ length: rows }, (_, r) => (mulberry32(r + 99)() < 0.3 ? 1 : 0));
    const x = matrix(rows, 20, 1, { 13: (r) => target[r] });
    const { train, test } = splitProbeSet(x, target, splitRows(rows, 0.5, 2, target));
    const [k1] = await kSparseProbe(tf, train, test, [1]);
    assert.deepEqual(k1.columns, [13]);
    assert.equal(k1.testAccuracy, 1);
    assert.equal(k1.testF1, 1);
    assert.equal(k1.testAuroc, 1);
    // balanced: the test rows hold as many negatives as positives
    assert.equal(k1.testRows, 2 * test.positive.reduce((a, v) => a + v, 0));
  });

  test("a target that is the AND of two columns gets better at k = 2 than at k = 1; an OR too", async () => {
    const rows = 2000;
    const random = mulberry32(5);
    const b0 = Uint8Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0));
    const b1 = Uint8Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0));
    for (const [name, combine] of [
      ["AND", (a: number, b: number) => a & b],
      ["OR", (a: number, b: number) => a | b],
    ] as const) {
      const target = Uint8Array.from({ length: rows }, (_, r) => combine(b0[r], b1[r]));
      const noise = mulberry32(17);
      const x = matrix(rows, 10, 3, { 2: (r) => b0[r] + 0.05 * gaussian(noise), 7: (r) => b1[r] + 0.05 * gaussian(noise) });
      const { train, test } = splitProbeSet(x, target, splitRows(rows, 0.5, 4, target));
      const [k1, k2, k4] = await kSparseProbe(tf, train, test, [1, 2, 4]);
      assert.ok([2, 7].includes(k1.columns[0]), `${name}: k = 1 picks one of the two, got ${k1.columns}`);
      assert.deepEqual([...k2.columns].sort(), [2, 7], `${name}: k = 2 picks both`);
      assert.deepEqual(k4.columns.slice(0, 2), k2.columns, "nested column sets");
      assert.ok(k1.testAccuracy < 0.9, `${name}: k = 1 accuracy ${k1.testAccuracy}`);
      assert.ok(k2.testAccuracy > 0.99, `${name}: k = 2 accuracy ${k2.testAccuracy}`);
      assert.ok(k2.testF1 > k1.testF1 + 0.05, `${name}: F1 ${k1.testF1} → ${k2.testF1}`);
    }
  });

  test("noise columns give an AUROC near 0.5 at every k", async () => {
    const rows = 4000;
    const random = mulberry32(11);
    const target = Uint8Array.from({ length: rows }, () => (random() < 0.4 ? 1 : 0));
    const x = matrix(rows, 32, 12);
    const { train, test } = splitProbeSet(x, target, splitRows(rows, 0.5, 13, target));
    for (const r of await kSparseProbe(tf, train, test, [1, 2, 4, 8])) {
      assert.ok(Math.abs(r.testAuroc - 0.5) < 0.05, `k = ${r.k}: AUROC ${r.testAuroc}`);
      assert.ok(Math.abs(r.testAccuracy - 0.5) < 0.05, `k = ${r.k}: accuracy ${r.testAccuracy}`);
    }
  });

  test("k above the number of columns keeps every column; balance none scores every test row", async () => {
    const target = Uint8Array.from({ length: 200 }, (_, r) => (r % 4 === 0 ? 1 : 0));
    const x = matrix(200, 3, 1, { 0: (r) => target[r] * 2 });
    const { train, test } = splitProbeSet(x, target, splitRows(200, 0.5, 1, target));
    const [r] = await kSparseProbe(tf, train, test, [8], { balance: "none" });
    assert.equal(r.columns.length, 3);
    assert.equal(r.testRows, test.x.rows);
    assert.equal(r.trainRows, train.x.rows);
    assert.equal(r.testAccuracy, 1);
  });

  test("rejects training rows with one class, targets that are not 0/1 and bad k", async () => {
    const x = matrix(10, 2, 1);
    const zeros = { x, positive: new Uint8Array(10) };
    await assert.rejects(kSparseProbe(tf, zeros, zeros, [1]), /training rows need both classes, found 0 positives among 10/);
    const twos = { x, positive: new Uint8Array(10).fill(2) };
    await assert.rejects(kSparseProbe(tf, twos, twos, [1]), /positive\[0\]: expected 0 or 1, found 2/);
    const mixed = { x, positive: Uint8Array.from({ length: 10 }, (_, i) => i % 2) };
    await assert.rejects(kSparseProbe(tf, mixed, mixed, [0]), /every k must be a positive integer, found 0/);
  });
});

describe("summarizeSparseProbes and classTargets", () => {
  const result = (k: number, f1: number): SparseProbeResult => ({
    k,
    columns: [],
    testAccuracy: f1,
    testF1: f1,
    testAuroc: f1,
    trainAccuracy: f1,
    trainRows: 2,
    testRows: 2,
  });

  test("means per k over the targets, leaving out NaN F1", () => {
    const summary = summarizeSparseProbes([
      [result(1, 0.5), result(2, 0.7)],
      [result(1, 0.7), result(2, 0.9)],
      [result(1, NaN), result(2, 1)],
    ]);
    assert.deepEqual(
      summary.map((s) => [s.k, s.targets, Number(s.meanTestF1.toFixed(6))]),
      [
        [1, 2, 0.6],
        [2, 3, 0.866667],
      ],
    );
  });

  test("classTargets gives label = c", () => {
    const targets = classTargets(Uint8Array.of(0, 2, 1, 2), 3);
    assert.deepEqual(
      targets.map((t) => [t.name, Array.from(t.positive)]),
      [
        ["label = 0", [1, 0, 0, 0]],
        ["label = 1", [0, 0, 1, 0]],
        ["label = 2", [0, 1, 0, 1]],
      ],
    );
  });
});
