import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { selectivity, topUnitsPerClass } from "../../../../../../src/lib/analysis/units/selectivity.js";
import type { ActivationMatrix, ClassUnitMatrix } from "../../../../../../src/lib/analysis/types.js";

const close = (actual: number, expected: number, tol = 1e-6) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

describe("selectivity", () => {
  test("(mu_class - mu_rest) / (mu_class + mu_rest + eps) on a hand-computed case", () => {
    // 4 examples, labels 0, 1, 2, 2; unit 0 = 3, 1, 2, 0; unit 1 silent; unit 2 fires only on class 0.
    const m: ActivationMatrix = { rows: 4, cols: 3, data: Float32Array.of(3, 0, 5, 1, 0, 0, 2, 0, 0, 0, 0, 0) };
    const s = selectivity(m, [0, 1, 2, 2], 3);
    assert.equal(s.classes, 3);
    assert.equal(s.units, 3);
    const at = (c: number, u: number) => s.data[c * 3 + u];
    close(at(0, 0), (3 - 1) / (3 + 1)); // rest = (1 + 2 + 0) / 3 = 1
    close(at(1, 0), (1 - 5 / 3) / (1 + 5 / 3)); // rest = (3 + 2 + 0) / 3
    close(at(2, 0), (1 - 2) / (1 + 2)); // class mean (2 + 0) / 2 = 1, rest (3 + 1) / 2 = 2
    for (let c = 0; c < 3; c++) assert.equal(at(c, 1), 0); // silent unit: 0 / eps
    close(at(0, 2), 1);
    close(at(1, 2), -1);
  });

  test("an empty class gives NaN", () => {
    const m: ActivationMatrix = { rows: 2, cols: 1, data: Float32Array.of(1, 2) };
    const s = selectivity(m, [0, 1], 3);
    assert.ok(Number.isNaN(s.data[2]));
    assert.ok(!Number.isNaN(s.data[0]));
  });
});

describe("topUnitsPerClass", () => {
  const matrix: ClassUnitMatrix = {
    classes: 2,
    units: 4,
    data: Float64Array.of(0.5, 0.9, 0.9, NaN, -1, 0, 0.3, 0.2),
  };

  test("largest first, ties by lower index, NaN last", () => {
    const top = topUnitsPerClass(matrix, 4);
    assert.deepEqual(top[0].units, [1, 2, 0, 3]);
    assert.deepEqual(top[0].values.slice(0, 3), [0.9, 0.9, 0.5]);
    assert.ok(Number.isNaN(top[0].values[3]));
    assert.deepEqual(top[1].units, [2, 3, 1, 0]);
    assert.equal(top[1].classIndex, 1);
  });

  test("k limits the list", () => {
    const top = topUnitsPerClass(matrix, 2);
    assert.deepEqual(
      top.map((t) => t.units),
      [
        [1, 2],
        [2, 3],
      ],
    );
  });

  test("k outside [1, units] is rejected", () => {
    assert.throws(() => topUnitsPerClass(matrix, 0), /k: expected an integer in \[1, 4\].*found 0/);
    assert.throws(() => topUnitsPerClass(matrix, 5), /found 5/);
  });
});
