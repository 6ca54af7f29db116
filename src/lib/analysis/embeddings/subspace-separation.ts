// How well a set of units separates one class from the rest: the silhouette score (two labels,
// the class and everything else) of the examples in the subspace of those units, for the k most
// selective units against random k-unit subsets, over every k.
import type { ActivationMatrix } from "../types.js";
import { randomUnitSubsets, selectColumns } from "./embedding-subsets.js";
import { silhouetteScore } from "./silhouette.js";

export interface SubspaceSilhouette {
  k: number;
  kind: "top-k selective" | "random k";
  space: "full subspace";
  silhouette: number;
}

/** 1 for examples of `classIndex`, 0 for the rest. */
export function oneVsRest(labels: ArrayLike<number>, classIndex: number): Uint8Array {
  return Uint8Array.from(labels as ArrayLike<number>, (label) => (label === classIndex ? 1 : 0));
}

export function subspaceSilhouette(m: ActivationMatrix, binaryLabels: ArrayLike<number>, units: readonly number[]): number {
  const sub = selectColumns(m, units);
  return silhouetteScore(sub.data, sub.rows, sub.cols, binaryLabels);
}

/**
 * For k = 1..units: the silhouette of the first k of `ranked` (units ordered by selectivity)
 * and of `randomCount` random k-subsets (one when k = units: there is only one subset).
 */
export function silhouetteByK(
  m: ActivationMatrix,
  binaryLabels: ArrayLike<number>,
  ranked: readonly number[],
  { randomCount = 5, seed = 100 }: { randomCount?: number; seed?: number } = {},
): SubspaceSilhouette[] {
  if (ranked.length !== m.cols) throw new Error(`silhouetteByK: expected a ranking of all ${m.cols} units, found ${ranked.length}`);
  const rows: SubspaceSilhouette[] = [];
  for (let k = 1; k <= m.cols; k++) {
    rows.push({ k, kind: "top-k selective", space: "full subspace", silhouette: subspaceSilhouette(m, binaryLabels, ranked.slice(0, k)) });
    for (const units of randomUnitSubsets(m.cols, k, k === m.cols ? 1 : randomCount, seed + k)) {
      rows.push({ k, kind: "random k", space: "full subspace", silhouette: subspaceSilhouette(m, binaryLabels, units) });
    }
  }
  return rows;
}
