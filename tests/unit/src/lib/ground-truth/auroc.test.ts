import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { auroc, aurocFromRanks } from "../../../../../src/lib/ground-truth/auroc.js";
import { argsortAscending, averageRanks } from "../../../../../src/lib/ground-truth/ranks.js";

describe("average ranks", () => {
  test("ties share the mean of the ranks they span; the sort is stable", () => {
    // Values 3, 1, 3, 2, 3: sorted 1 (rank 1), 2 (rank 2), then three 3s on ranks 3, 4, 5 → 4 each.
    assert.deepEqual(Array.from(averageRanks([3, 1, 3, 2, 3])), [4, 1, 4, 2, 4]);
    assert.deepEqual(Array.from(argsortAscending([3, 1, 3, 2, 3])), [1, 3, 0, 2, 4]);
  });
});

describe("auroc", () => {
  test("a perfect score gives 1, a reversed one 0, a constant one 0.5", () => {
    const labels = [0, 0, 1, 1, 1];
    assert.equal(auroc([0.1, 0.2, 0.3, 0.4, 0.5], labels), 1);
    assert.equal(auroc([0.5, 0.4, 0.3, 0.2, 0.1], labels), 0);
    assert.equal(auroc([7, 7, 7, 7, 7], labels), 0.5);
  });
  test("a hand-computed case with ties", () => {
    // scores 0.1 0.4 0.4 0.8 0.4, labels 0 1 0 1 1: positives 0.4, 0.8, 0.4; negatives 0.1, 0.4.
    // Pairs (positive, negative): (0.4, 0.1) 1, (0.4, 0.4) ½, (0.8, 0.1) 1, (0.8, 0.4) 1,
    // (0.4, 0.1) 1, (0.4, 0.4) ½ → 5 of 6 pairs.
    // By ranks: 0.1 → 1, the three 0.4s → 3, 0.8 → 5; positives' rank sum 3 + 5 + 3 = 11,
    // U = 11 − 3·4/2 = 5, AUROC = 5 / (3·2).
    assert.equal(auroc([0.1, 0.4, 0.4, 0.8, 0.4], [0, 1, 0, 1, 1]), 5 / 6);
    assert.equal(auroc([0.1, 0.4, 0.4, 0.8, 0.4], [false, true, false, true, true]), 5 / 6);
  });
  test("NaN when either class is empty", () => {
    assert.ok(Number.isNaN(auroc([1, 2, 3], [0, 0, 0])));
    assert.ok(Number.isNaN(auroc([1, 2, 3], [1, 1, 1])));
    assert.ok(Number.isNaN(aurocFromRanks([], [])));
  });
  test("matches counting pairs on random data with ties", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const scores = Array.from({ length: 60 }, () => Math.floor(next() * 8));
    const labels = Array.from({ length: 60 }, () => (next() < 0.4 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < 60; i++) {
      for (let j = 0; j < 60; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    assert.ok(Math.abs(auroc(scores, labels) - wins / pairs) < 1e-12);
  });
  test("rejects a wrong length and non-finite scores", () => {
    assert.throws(() => auroc([1, 2], [1]), /expected 2 values, found 1/);
    assert.throws(() => auroc([1, NaN], [1, 0]), /finite/);
  });
});
