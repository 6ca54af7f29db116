import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { integerConcepts, thresholdConcept } from "../../../../../src/lib/ground-truth/binary-concepts.js";

describe("binary concepts", () => {
  test("thresholdConcept applies the predicate; NaN images are negatives of ≥ and =", () => {
    const c = thresholdConcept("area ≥ 2", [1, 2, NaN, 3], (v) => v >= 2);
    assert.equal(c.name, "area ≥ 2");
    assert.deepEqual(Array.from(c.positive), [0, 1, 0, 1]);
  });
  test("integerConcepts: = for each value but the top, ≥ for each but the bottom", () => {
    const holes = { name: "holes", values: Float64Array.from([0, 1, 2, 1, 0, NaN]) };
    const made = integerConcepts(holes);
    assert.deepEqual(
      made.map((c) => [c.name, Array.from(c.positive)]),
      [
        ["holes = 0", [1, 0, 0, 0, 1, 0]],
        ["holes = 1", [0, 1, 0, 1, 0, 0]],
        ["holes ≥ 1", [0, 1, 1, 1, 0, 0]],
        ["holes ≥ 2", [0, 0, 1, 0, 0, 0]],
      ],
    );
  });
  test("atMost lumps the large values together; non-integers throw", () => {
    const endpoints = { name: "endpoints", values: Float64Array.from([0, 1, 2, 3, 5]) };
    assert.deepEqual(
      integerConcepts(endpoints, { atMost: 2 }).map((c) => [c.name, Array.from(c.positive)]),
      [
        ["endpoints = 0", [1, 0, 0, 0, 0]],
        ["endpoints = 1", [0, 1, 0, 0, 0]],
        ["endpoints ≥ 1", [0, 1, 1, 1, 1]],
        ["endpoints ≥ 2", [0, 0, 1, 1, 1]],
      ],
    );
    assert.throws(() => integerConcepts({ name: "slant", values: Float64Array.from([0.5]) }), /expected integers/);
  });
});
