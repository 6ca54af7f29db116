import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { activeFraction, classifyUnits } from "../../../../../../src/lib/analysis/units/dead-units.js";
import type { ActivationMatrix } from "../../../../../../src/lib/analysis/types.js";

// 4 examples × 3 units. Unit 0 never positive, unit 1 once, unit 2 three times.
const m: ActivationMatrix = {
  rows: 4,
  cols: 3,
  data: Float32Array.of(0, 0, 1, -1, 0.5, 2, 0, 0, 0, -3, 0, 0.1),
};

describe("activeFraction", () => {
  test("counts activations strictly above the threshold", () => {
    assert.deepEqual(Array.from(activeFraction(m)), [0, 0.25, 0.75]);
    assert.deepEqual(Array.from(activeFraction(m, 0.5)), [0, 0, 0.5]);
    assert.deepEqual(Array.from(activeFraction(m, -2)), [0.75, 1, 1]);
  });

  test("an empty set is rejected", () => {
    assert.throws(() => activeFraction({ rows: 0, cols: 3, data: new Float32Array(0) }), /at least one example/);
  });
});

describe("classifyUnits", () => {
  test("dead, nearly-dead and alive with a custom cut-off", () => {
    const result = classifyUnits(m, { nearlyDeadBelow: 0.3 });
    assert.deepEqual(result.status, ["dead", "nearly-dead", "alive"]);
    assert.equal(result.dead, 1);
    assert.equal(result.nearlyDead, 1);
    assert.equal(result.alive, 1);
  });

  test("default cut-off is 1%: once in 200 is nearly dead, twice in 200 is alive", () => {
    const rows = 200;
    const data = new Float32Array(rows * 3);
    data[0 * 3 + 1] = 1; // unit 1 active on one example
    data[0 * 3 + 2] = 1; // unit 2 active on two examples
    data[1 * 3 + 2] = 1;
    const result = classifyUnits({ rows, cols: 3, data });
    assert.deepEqual(result.status, ["dead", "nearly-dead", "alive"]);
    assert.deepEqual(Array.from(result.activeFraction), [0, 0.005, 0.01]);
  });

  test("rejects a cut-off outside [0, 1]", () => {
    assert.throws(() => classifyUnits(m, { nearlyDeadBelow: 2 }), /expected a fraction in \[0, 1\], found 2/);
  });
});
