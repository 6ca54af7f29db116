import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { randomUnitSubsets, selectColumns } from "../../../../../../src/lib/analysis/embeddings/embedding-subsets.js";

describe("selectColumns", () => {
  test("keeps the given columns in the given order", () => {
    const m = { rows: 2, cols: 3, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
    const picked = selectColumns(m, [2, 0]);
    assert.equal(picked.rows, 2);
    assert.equal(picked.cols, 2);
    assert.deepEqual(Array.from(picked.data), [3, 1, 6, 4]);
    assert.throws(() => selectColumns(m, [3]), /units\[0\]: expected an integer unit index in \[0, 3\), found 3/);
  });
});

describe("randomUnitSubsets", () => {
  test("distinct sorted subsets of distinct units, reproducible by seed", () => {
    const subsets = randomUnitSubsets(10, 3, 20, 1);
    assert.equal(subsets.length, 20);
    for (const s of subsets) {
      assert.equal(s.length, 3);
      assert.ok(s[0] < s[1] && s[1] < s[2], `not sorted or not distinct: ${s}`);
      assert.ok(s[0] >= 0 && s[2] < 10);
    }
    assert.equal(new Set(subsets.map((s) => s.join())).size, 20);
    assert.deepEqual(randomUnitSubsets(10, 3, 20, 1), subsets);
    assert.notDeepEqual(randomUnitSubsets(10, 3, 20, 2), subsets);
  });

  test("asking for every subset returns each exactly once", () => {
    const subsets = randomUnitSubsets(4, 2, 6, 5);
    assert.deepEqual(subsets.map((s) => s.join()).sort(), ["0,1", "0,2", "0,3", "1,2", "1,3", "2,3"]);
    assert.throws(() => randomUnitSubsets(4, 2, 7, 5), /only 6 distinct 2-subsets of 4 units exist, asked for 7/);
  });

  test("draws from a given list of candidate units", () => {
    const candidates = [12, 3, 9, 7];
    for (const s of randomUnitSubsets(candidates, 2, 5, 3)) {
      assert.ok(s.every((u) => candidates.includes(u)));
      assert.ok(s[0] < s[1]);
    }
  });

  test("k larger than the pool is rejected", () => {
    assert.throws(() => randomUnitSubsets(3, 4, 1, 1), /k: expected at most 3 \(the number of units\), found 4/);
  });
});
