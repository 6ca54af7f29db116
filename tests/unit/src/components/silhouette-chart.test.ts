import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { silhouetteChart } from "../../../../src/components/silhouette-chart.js";

const row = { k: 4, kind: "random k", silhouette: 0.2, space: "UMAP" };

describe("silhouetteChart input checks", () => {
  test("scores lie in [−1, 1]", () => {
    assert.throws(() => silhouetteChart([{ ...row, silhouette: 1.5 }]), /rows\[0\]\.silhouette: expected a score in \[−1, 1\], found 1\.5/);
  });
  test("k is a positive integer", () => {
    assert.throws(() => silhouetteChart([row, { ...row, k: 0 }]), /rows\[1\]\.k: expected a positive integer number of units, found 0/);
  });
});
