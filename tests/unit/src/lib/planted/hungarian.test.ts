import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { solveAssignment, solveAssignmentRows } from "../../../../../src/lib/planted/hungarian.js";
import { mulberry32 } from "../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-9) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

/** Every injective map of the rows into the columns (rows ≤ cols), by recursion. */
function* injections(rows: number, cols: number, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === rows) {
    yield prefix;
    return;
  }
  for (let c = 0; c < cols; c++) if (!prefix.includes(c)) yield* injections(rows, cols, [...prefix, c]);
}

/** The best total by trying every assignment (rows ≤ cols). */
function bruteForce(values: Float64Array, rows: number, cols: number, objective: "min" | "max"): number {
  let best = objective === "min" ? Infinity : -Infinity;
  for (const map of injections(rows, cols)) {
    let total = 0;
    for (let r = 0; r < rows; r++) total += values[r * cols + map[r]];
    best = objective === "min" ? Math.min(best, total) : Math.max(best, total);
  }
  return best;
}

/** The assignment is one-to-one, its two views agree, and its total is the sum of its entries. */
function assertConsistent(values: ArrayLike<number>, rows: number, cols: number, a: ReturnType<typeof solveAssignment>): void {
  let pairs = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const c = a.rowToCol[r];
    if (c < 0) continue;
    pairs++;
    assert.equal(a.colToRow[c], r);
    total += values[r * cols + c];
  }
  assert.equal(pairs, Math.min(rows, cols));
  assert.equal(new Set(Array.from(a.rowToCol).filter((c) => c >= 0)).size, pairs, "no column is used twice");
  close(a.total, total);
}

describe("solveAssignment", () => {
  test("3 × 3 by hand: rows to columns 1, 0, 2 for a total of 1 + 2 + 2 = 5 (the other five permutations cost 6 to 11)", () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const a = solveAssignmentRows(cost);
    assert.deepEqual(Array.from(a.rowToCol), [1, 0, 2]);
    assert.deepEqual(Array.from(a.colToRow), [1, 0, 2]);
    assert.equal(a.total, 5);
  });

  test("2 × 4 by hand, both objectives; and its 4 × 2 transpose gives the same pairs", () => {
    const m = [
      [9, 2, 7, 8],
      [6, 4, 3, 7],
    ];
    const min = solveAssignmentRows(m);
    assert.deepEqual(Array.from(min.rowToCol), [1, 2]); // 2 + 3
    assert.deepEqual(Array.from(min.colToRow), [-1, 0, 1, -1]);
    assert.equal(min.total, 5);
    const max = solveAssignmentRows(m, "max");
    assert.deepEqual(Array.from(max.rowToCol), [0, 3]); // 9 + 7
    assert.equal(max.total, 16);
    const transposed = [0, 1, 2, 3].map((c) => m.map((row) => row[c]));
    const tMin = solveAssignmentRows(transposed);
    assert.deepEqual(Array.from(tMin.rowToCol), [-1, 0, 1, -1]);
    assert.deepEqual(Array.from(tMin.colToRow), [1, 2]);
    assert.equal(tMin.total, 5);
    assert.equal(solveAssignmentRows(transposed, "max").total, 16);
  });

  test("agrees with brute force over all 720 permutations on random 6 × 6 matrices, and over all injections on 4 × 6 and 6 × 4", () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 25; trial++) {
      for (const [rows, cols] of [
        [6, 6],
        [4, 6],
        [6, 4],
      ]) {
        // Integers in 0..9 make ties common, which is where a wrong solver slips; reals otherwise.
        const values = Float64Array.from({ length: rows * cols }, () => (trial % 2 === 0 ? Math.floor(random() * 10) : random() * 2 - 1));
        for (const objective of ["min", "max"] as const) {
          const a = solveAssignment(values, rows, cols, objective);
          assertConsistent(values, rows, cols, a);
          const expected =
            rows <= cols
              ? bruteForce(values, rows, cols, objective)
              : bruteForce(
                  Float64Array.from({ length: rows * cols }, (_, k) => values[(k % rows) * cols + Math.floor(k / rows)]),
                  cols,
                  rows,
                  objective,
                );
          close(a.total, expected);
        }
      }
    }
  });

  test("a larger case stays consistent and beats the identity (100 × 140)", () => {
    const random = mulberry32(11);
    const rows = 100;
    const cols = 140;
    const values = Float64Array.from({ length: rows * cols }, () => random());
    const a = solveAssignment(values, rows, cols, "max");
    assertConsistent(values, rows, cols, a);
    let identity = 0;
    for (let r = 0; r < rows; r++) identity += values[r * cols + r];
    assert.ok(a.total >= identity);
    assert.ok(a.total / rows > 0.95, `the best pairs among 140 uniform columns average about 0.99, found ${a.total / rows}`);
  });

  test("empty matrices and bad input", () => {
    const empty = solveAssignment([], 0, 3);
    assert.equal(empty.total, 0);
    assert.deepEqual(Array.from(empty.colToRow), [-1, -1, -1]);
    assert.throws(() => solveAssignment([1, 2, 3], 2, 2), /expected rows × cols = 2 × 2 = 4 values, found 3/);
    assert.throws(() => solveAssignment([1, NaN, 3, 4], 2, 2), /expected finite values, found NaN at row 0, column 1/);
    assert.throws(() => solveAssignmentRows([[1, 2], [3]]), /every row must have 2 values \(as row 0 does\), found 1 in row 1/);
  });
});
