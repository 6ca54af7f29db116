import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareToControl, controlDetail, marginPhrase, widenNoise } from "../../../../../src/lib/ground-truth/margin.js";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe("compareToControl", () => {
  const controls = [
    [0.2, 0.3, 0.4],
    [0.25, 0.3, 0.35],
    [0.3, 0.35, 0.4],
  ];
  test("medians, spread over seeds, margin", () => {
    const c = compareToControl([0.5, 0.6, 0.7, NaN], controls);
    assert.equal(c.median, 0.6);
    assert.deepEqual(c.controlMedians, [0.3, 0.3, 0.35]);
    assert.equal(c.controlMedian, 0.3);
    assert.equal(c.controlSpread.min, 0.3);
    assert.equal(c.controlSpread.max, 0.35);
    close(c.controlSpread.sd, Math.sqrt(((0.3 - 0.95 / 3) ** 2 * 2 + (0.35 - 0.95 / 3) ** 2) / 2));
    close(c.margin, 0.3);
    assert.ok(c.beyondNoise);
    assert.equal(marginPhrase(c), "0.30 above its sparsity-matched control");
    assert.equal(controlDetail(c), "median 0.60 against 0.30 (0.30–0.35 over 3 seeds)");
  });
  test("within noise, and below", () => {
    const near = compareToControl([0.3, 0.33, 0.4], controls);
    assert.equal(near.beyondNoise, false);
    assert.equal(marginPhrase(near), "within noise of its sparsity-matched control");
    const below = compareToControl([0.05, 0.1, 0.2], controls);
    assert.ok(below.beyondNoise);
    assert.equal(marginPhrase(below, { control: "random dictionary" }), "0.20 below its random dictionary");
  });
  test("one seed: minMargin is the noise floor", () => {
    const c = compareToControl([0.31, 0.315, 0.33], [0.3, 0.3, 0.3]);
    assert.ok(Number.isNaN(c.controlSpread.sd));
    assert.equal(c.noise, 0.02);
    assert.equal(c.beyondNoise, false);
    assert.equal(compareToControl([0.31, 0.315, 0.33], [0.3, 0.3, 0.3], { minMargin: 0.01 }).beyondNoise, true);
  });
  test("no finite scores: not comparable", () => {
    const c = compareToControl([NaN], [[0.1]]);
    assert.equal(c.beyondNoise, false);
    assert.match(marginPhrase(c), /not comparable/);
  });
});

test("widenNoise raises the noise floor and re-decides beyondNoise; NaN leaves it alone", () => {
  const c = compareToControl(
    [0.5, 0.5, 0.5],
    [
      [0.4, 0.4],
      [0.42, 0.42],
      [0.41, 0.41],
    ],
  );
  assert.ok(Math.abs(c.margin - 0.09) < 1e-12);
  assert.equal(c.beyondNoise, true);
  const wide = widenNoise(c, 0.1);
  assert.equal(wide.noise, 0.1);
  assert.equal(wide.beyondNoise, false);
  assert.equal(widenNoise(c, 0.01).noise, c.noise, "a smaller extra noise changes nothing");
  assert.equal(widenNoise(c, NaN), c);
});
