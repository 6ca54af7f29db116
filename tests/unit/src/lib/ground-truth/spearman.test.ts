import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spearman, withinClassSpearman } from "../../../../../src/lib/ground-truth/spearman.js";
import { mulberry32, gaussian, permutation } from "../../../../../src/lib/random.js";

const close = (a: number, b: number, tolerance = 1e-12) => assert.ok(Math.abs(a - b) < tolerance, `${a} ≠ ${b}`);

describe("spearman", () => {
  test("a hand case with ties", () => {
    // x = 1 2 2 3 → ranks 1 2.5 2.5 4; y = 1 3 2 4 → ranks 1 3 2 4; both means 2.5.
    // dx = −1.5 0 0 1.5, dy = −1.5 0.5 −0.5 1.5: Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5,
    // ρ = 4.5 / √(4.5·5) = √0.9.
    close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), Math.sqrt(0.9));
  });
  test("without ties it is 1 − 6Σd² / (n(n² − 1))", () => {
    const random = mulberry32(3);
    const n = 25;
    const rx = permutation(n, random);
    const ry = permutation(n, random);
    // Values with those ranks (any increasing map of the rank keeps it).
    const x = Array.from(rx, (r) => Math.exp(r / 5));
    const y = Array.from(ry, (r) => r * r - 3);
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += (rx[i] - ry[i]) ** 2;
    close(spearman(x, y), 1 - (6 * d2) / (n * (n * n - 1)));
  });
  test("monotone maps give ±1; constant input gives NaN; NaN pairs are left out", () => {
    close(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
    close(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
    close(spearman([1, 2, 99, 3], [1, 2, NaN, 3]), 1);
  });
});

describe("withinClassSpearman", () => {
  test("tracks the concept inside every class while the class means run the other way", () => {
    // Three classes of 12 images. Inside class c the concept is 10c + 0..11 and the unit is
    // concept − 100c: inside each class the unit rises with the concept (ρ = +1), but classes
    // with a larger concept have a much smaller unit, so the pooled ρ is negative.
    const labels: number[] = [];
    const concept: number[] = [];
    const unit: number[] = [];
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 12; i++) {
        labels.push(c);
        concept.push(10 * c + i);
        unit.push(10 * c + i - 100 * c);
      }
    }
    assert.ok(spearman(unit, concept) < -0.5, `pooled ρ = ${spearman(unit, concept)}`);
    const w = withinClassSpearman(unit, concept, labels, 3);
    assert.equal(w.mean, 1);
    assert.equal(w.counted, 3);
    assert.deepEqual(Array.from(w.perClass), [1, 1, 1]);
  });
  test("skips classes under 10 usable images, constant classes and NaN concept values", () => {
    const random = mulberry32(11);
    const labels: number[] = [];
    const concept: number[] = [];
    const unit: number[] = [];
    // Class 0: 20 images, ρ = 1 once the NaN rows are left out (their unit values would break it).
    for (let i = 0; i < 20; i++) {
      labels.push(0);
      const missing = i % 5 === 0;
      concept.push(missing ? NaN : i);
      unit.push(missing ? 1000 - i : i);
    }
    // Class 1: 9 images only. Class 2: 15 images, unit constant. Class 3: 15 images, ρ = −1.
    for (let i = 0; i < 9; i++) (labels.push(1), concept.push(i), unit.push(gaussian(random)));
    for (let i = 0; i < 15; i++) (labels.push(2), concept.push(i), unit.push(5));
    for (let i = 0; i < 15; i++) (labels.push(3), concept.push(i), unit.push(-i * i));
    const w = withinClassSpearman(unit, concept, labels, 4);
    assert.equal(w.counted, 2);
    assert.equal(w.perClass[0], 1);
    assert.ok(Number.isNaN(w.perClass[1]));
    assert.ok(Number.isNaN(w.perClass[2]));
    assert.equal(w.perClass[3], -1);
    assert.equal(w.mean, 0);
    // With a lower minimum, class 1 counts.
    assert.equal(withinClassSpearman(unit, concept, labels, 4, { minCount: 5 }).counted, 3);
  });
  test("no class counts: NaN", () => {
    const w = withinClassSpearman([1, 2, 3], [1, 2, 3], [0, 0, 0], 1);
    assert.ok(Number.isNaN(w.mean));
    assert.equal(w.counted, 0);
  });
});
