import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  assertFraction,
  assertUniqueLabels,
  distinctInOrder,
  formatNumber,
  formatSigned,
  integerTicks,
  resolveWidth,
  spreadIfSingle,
  thinTicks,
} from "../../../../src/components/chart-helpers.js";

const labels = (n: number) => Array.from({ length: n }, (_, i) => String(i));

describe("thinTicks", () => {
  test("keeps every label when they fit", () => {
    assert.deepEqual(thinTicks(labels(5), 10), ["0", "1", "2", "3", "4"]);
  });
  test("steps by 2 when twice too many", () => {
    assert.deepEqual(thinTicks(labels(10), 5), ["0", "2", "4", "6", "8"]);
  });
  test("rounds the step up to 1, 2, 2.5, 5 × a power of ten, skipping non-integers", () => {
    // 256 labels for 20 ticks: raw step 12.8 → 20.
    assert.deepEqual(thinTicks(labels(256), 20).slice(0, 4), ["0", "20", "40", "60"]);
    // 30 labels for 13 ticks: raw step 2.3 → 2.5 is not an integer → 5.
    assert.deepEqual(thinTicks(labels(30), 13), ["0", "5", "10", "15", "20", "25"]);
  });
});

describe("number formats", () => {
  test("formatSigned writes a sign and a real minus", () => {
    assert.equal(formatSigned(-12.34), "\u221212.3");
    assert.equal(formatSigned(0.44), "+0.4");
    assert.equal(formatSigned(0), "0.0");
    assert.equal(formatSigned(NaN), "no data");
  });
  test("formatNumber rounds and uses a real minus", () => {
    assert.equal(formatNumber(-0.12345), "\u22120.123");
    assert.equal(formatNumber(1234.5, 1), "1234.5");
  });
});

describe("checks", () => {
  test("assertFraction rejects percentages and accepts NaN only when allowed", () => {
    assert.throws(() => assertFraction(97, "acc"), /acc: expected a fraction in \[0, 1\] \(not a percentage\), found 97/);
    assert.throws(() => assertFraction(NaN, "acc"), /acc: expected a finite number, found NaN/);
    assert.doesNotThrow(() => assertFraction(NaN, "acc", { allowNaN: true }));
    assert.doesNotThrow(() => assertFraction(0.5, "acc"));
  });
  test("assertUniqueLabels names the duplicate", () => {
    assert.throws(() => assertUniqueLabels(["a", "b", "a"], "names"), /names: expected distinct labels, found "a" twice/);
  });
  test("resolveWidth defaults to 640 (also for Framework's not-yet-measured width 0) and rejects bad widths", () => {
    assert.equal(resolveWidth(undefined, "c"), 640);
    assert.equal(resolveWidth(0, "c"), 640);
    assert.equal(resolveWidth(300, "c"), 300);
    assert.throws(() => resolveWidth(-5, "chart"), /chart width: expected a positive number of pixels, found -5/);
    assert.throws(() => resolveWidth(NaN, "chart"), /chart width: expected a positive number of pixels, found NaN/);
  });
  test("distinctInOrder keeps first appearance order", () => {
    assert.deepEqual(distinctInOrder(["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
  });
});

describe("axis helpers", () => {
  test("integerTicks gives whole epochs on short spans and thins long ones", () => {
    assert.deepEqual(integerTicks([2, 3, 4], 10), [2, 3, 4]);
    assert.deepEqual(integerTicks([0, 100], 6), [0, 20, 40, 60, 80, 100]);
    assert.equal(integerTicks([0, 0.5], 10), undefined);
  });
  test("integerTicks spreads a single epoch over ±1", () => {
    assert.deepEqual(integerTicks([3], 10), [2, 3, 4]);
  });
  test("spreadIfSingle leaves real ranges to Plot", () => {
    assert.deepEqual(spreadIfSingle([1, 2]), {});
    assert.deepEqual(spreadIfSingle([2.5, 2.5, NaN]), { domain: [1.5, 3.5] });
    assert.deepEqual(spreadIfSingle([NaN]), {});
  });
});
