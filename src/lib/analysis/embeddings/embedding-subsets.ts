// Helpers for comparing a class's top-k selective units with random k-unit subsets.
import type { ActivationMatrix } from "../types.js";
import { mulberry32, permutation, shuffleInPlace } from "../../random.js";
import { assertActivationMatrix, assertPositiveInteger, assertUnitIndex } from "../validate.js";

/** A new matrix holding only the given columns, in the given order. */
export function selectColumns(m: ActivationMatrix, units: readonly number[]): ActivationMatrix {
  assertActivationMatrix(m);
  for (let i = 0; i < units.length; i++) assertUnitIndex(units[i], m.cols, `selectColumns units[${i}]`);
  const { rows, cols, data } = m;
  const k = units.length;
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const t = r * k;
    for (let i = 0; i < k; i++) out[t + i] = data[o + units[i]];
  }
  return { rows, cols: k, data: out };
}

/** A new matrix holding only the given rows (examples), in the given order. */
export function selectRows(m: ActivationMatrix, rows: ArrayLike<number>): ActivationMatrix {
  assertActivationMatrix(m);
  const { cols, data } = m;
  const out = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= m.rows) throw new Error(`selectRows rows[${i}]: expected a row index in [0, ${m.rows - 1}], found ${r}`);
    out.set(data.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return { rows: rows.length, cols, data: out };
}

/**
 * `count` distinct subsets of k distinct units, each sorted ascending, drawn uniformly with a
 * seeded generator. `units` is either the number of units (choose from 0 … units-1) or the list
 * of candidate unit indices. Throws when fewer than `count` distinct subsets exist.
 */
export function randomUnitSubsets(units: number | readonly number[], k: number, count: number, seed: number): number[][] {
  const pool = typeof units === "number" ? rangeOf(units) : uniqueSorted(units);
  const n = pool.length;
  assertPositiveInteger(k, "randomUnitSubsets k");
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`randomUnitSubsets count: expected a non-negative integer, found ${count}`);
  }
  if (k > n) throw new Error(`randomUnitSubsets k: expected at most ${n} (the number of units), found ${k}`);
  const available = binomial(n, k);
  if (count > available) {
    throw new Error(`randomUnitSubsets count: only ${available} distinct ${k}-subsets of ${n} units exist, asked for ${count}`);
  }
  const random = mulberry32(seed);
  // Near-exhaustive requests: enumerate and shuffle (rejection sampling would stall).
  if (available <= 4 * count) {
    const all = allSubsets(n, k);
    shuffleInPlace(all, random);
    return all.slice(0, count).map((subset) => subset.map((i) => pool[i]));
  }
  const seen = new Set<string>();
  const result: number[][] = [];
  while (result.length < count) {
    const picked = Array.from(permutation(n, random).subarray(0, k)).sort((a, b) => a - b);
    const key = picked.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(picked.map((i) => pool[i]));
  }
  return result;
}

function rangeOf(n: number): number[] {
  assertPositiveInteger(n, "randomUnitSubsets units");
  return Array.from({ length: n }, (_, i) => i);
}

function uniqueSorted(units: readonly number[]): number[] {
  for (let i = 0; i < units.length; i++) {
    if (!Number.isInteger(units[i]) || units[i] < 0) {
      throw new Error(`randomUnitSubsets units[${i}]: expected a non-negative integer unit index, found ${units[i]}`);
    }
  }
  const sorted = Array.from(new Set(units)).sort((a, b) => a - b);
  if (sorted.length !== units.length) throw new Error("randomUnitSubsets units: expected distinct unit indices, found duplicates");
  return sorted;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** All k-subsets of 0 … n-1 in lexicographic order. */
function allSubsets(n: number, k: number): number[][] {
  const result: number[][] = [];
  const current: number[] = [];
  const visit = (from: number) => {
    if (current.length === k) {
      result.push(current.slice());
      return;
    }
    for (let i = from; i <= n - (k - current.length); i++) {
      current.push(i);
      visit(i + 1);
      current.pop();
    }
  };
  visit(0);
  return result;
}
