import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { bestF1, f1Score } from "../../../../../src/lib/ground-truth/best-f1.js";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe("f1Score", () => {
  test("2·TP / (2·TP + FP + FN), hand-computed", () => {
    // predicted 1 1 0 0 1, actual 1 0 1 0 1: TP 2, FP 1, FN 1 → F1 4/6, precision 2/3, recall 2/3.
    const r = f1Score([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]);
    close(r.f1, 4 / 6);
    close(r.precision, 2 / 3);
    close(r.recall, 2 / 3);
  });
  test("nothing predicted: F1 0, precision 0; no positives anywhere: NaN", () => {
    assert.deepEqual(f1Score([0, 0], [1, 0]), { f1: 0, precision: 0, recall: 0 });
    assert.ok(Number.isNaN(f1Score([0, 0], [0, 0]).f1));
  });
});

describe("bestF1", () => {
  test("a hand case: the best cut and its threshold", () => {
    // Scores 0.9 … 0.4, positives at 0.9, 0.7, 0.6. Predicting the top j:
    // j=1: TP1 FP0 FN2 → 2/4; j=2: 2/5; j=3: TP2 FP1 FN1 → 4/6; j=4: TP3 FP1 FN0 → 6/7;
    // j=5: 6/8; j=6: 6/9. Best: the top 4, "score > 0.5", precision 3/4, recall 1.
    const r = bestF1([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 1, 0, 0]);
    close(r.f1, 6 / 7);
    assert.equal(r.threshold, 0.5);
    close(r.precision, 3 / 4);
    assert.equal(r.recall, 1);
  });
  test("tied scores fall on the same side of the cut", () => {
    // Scores 2 2 1 1 with positives 1 0 1 0: cutting inside a tie is not allowed, so the top two
    // (TP1 FP1 FN1 → 2/4) or all four (TP2 FP2 → 4/6): the best is "score > −∞", every image.
    const r = bestF1([2, 2, 1, 1], [1, 0, 1, 0]);
    close(r.f1, 4 / 6);
    assert.equal(r.threshold, -Infinity);
  });
  test("equal F1 at two cuts: the higher threshold wins", () => {
    // Scores 6 … 1, positives 1 0 0 1 0 0: top 1 → TP1 FN1 → 2/3; top 2 → 2/4; top 3 → 2/5;
    // top 4 → TP2 FP2 → 4/6 = 2/3; top 5 → 4/7; top 6 → 4/8. Top 1 and top 4 tie at 2/3:
    // the higher cut, "score > 5", is reported.
    const r = bestF1([6, 5, 4, 3, 2, 1], [1, 0, 0, 1, 0, 0]);
    close(r.f1, 2 / 3);
    assert.equal(r.threshold, 5);
  });
  test("order does not matter; the given order is used; no positives gives NaN", () => {
    const a = bestF1([0.4, 0.9, 0.6, 0.8, 0.5, 0.7], [0, 1, 1, 0, 0, 1]);
    close(a.f1, 6 / 7);
    assert.equal(a.threshold, 0.5);
    assert.ok(Number.isNaN(bestF1([1, 2], [0, 0]).f1));
  });
  test("a perfect detector reaches 1", () => {
    const r = bestF1([0, 0, 0, 3, 4], [0, 0, 0, 1, 1]);
    assert.equal(r.f1, 1);
    assert.equal(r.threshold, 0);
  });
});
