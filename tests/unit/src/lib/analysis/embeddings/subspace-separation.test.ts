import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { oneVsRest, silhouetteByK, subspaceSilhouette } from "../../../../../../src/lib/analysis/embeddings/subspace-separation.js";
import { selectRows } from "../../../../../../src/lib/analysis/embeddings/embedding-subsets.js";

// Unit 0 separates class 1 perfectly (1 vs 0); unit 1 is noise unrelated to the class.
const m = { rows: 4, cols: 2, data: Float32Array.from([1, 0, 1, 5, 0, 0, 0, 5]) };
const labels = [1, 1, 0, 0];

describe("subspace separation", () => {
  test("oneVsRest marks the chosen class", () => {
    assert.deepEqual([...oneVsRest([3, 1, 3, 0], 3)], [1, 0, 1, 0]);
  });

  test("a perfectly separating unit scores 1; a unit unrelated to the class scores below 0 here", () => {
    assert.equal(subspaceSilhouette(m, labels, [0]), 1);
    // Unit 1: class {0, 5}, rest {0, 5}: each point's nearest other-cluster point is as close as its own.
    assert.ok(subspaceSilhouette(m, labels, [1]) <= 0);
  });

  test("silhouetteByK rates the ranked prefix and random subsets for every k", () => {
    const rows = silhouetteByK(m, labels, [0, 1], { randomCount: 1, seed: 3 });
    assert.deepEqual(
      rows.map((r) => [r.k, r.kind]),
      [
        [1, "top-k selective"],
        [1, "random k"],
        [2, "top-k selective"],
        [2, "random k"],
      ],
    );
    assert.equal(rows[0].silhouette, 1);
    assert.equal(rows[2].silhouette, rows[3].silhouette, "k = all units: the only subset is the whole layer");
    assert.throws(() => silhouetteByK(m, labels, [0]), /expected a ranking of all 2 units, found 1/);
  });

  test("selectRows picks examples in order and names a bad index", () => {
    assert.deepEqual([...selectRows(m, [3, 0]).data], [0, 5, 1, 0]);
    assert.throws(() => selectRows(m, [4]), /selectRows rows\[0\]: expected a row index in \[0, 3\], found 4/);
  });
});
