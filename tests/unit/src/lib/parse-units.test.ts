import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseUnitList } from "../../../../src/lib/parse-units.js";

describe("parseUnitList", () => {
  test("reads single indices, lists and ranges, sorted without duplicates", () => {
    assert.deepEqual(parseUnitList("7, 3", 16).units, [3, 7]);
    assert.deepEqual(parseUnitList(" 0-3 2 ", 16).units, [0, 1, 2, 3]);
  });
  test("explains an empty selection, a bad token and an index past the layer", () => {
    assert.match(parseUnitList("  ", 16, "relu_2").error ?? "", /Choose at least one unit of relu_2/);
    assert.match(parseUnitList("3, x", 16).error ?? "", /"x" is not a unit index/);
    assert.match(parseUnitList("5-2", 16).error ?? "", /"5-2" is not a unit index/);
    assert.match(parseUnitList("16", 16, "relu_2").error ?? "", /Unit 16 does not exist: relu_2 has units 0 to 15/);
  });
});
