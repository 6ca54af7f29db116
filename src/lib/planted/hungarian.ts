// Optimal one-to-one assignment on a rectangular matrix (the linear sum assignment problem), for
// matching learned SAE latents to planted features and one seed's decoder to another's. The
// Hungarian method in its shortest-augmenting-path form with dual potentials (Kuhn–Munkres as
// Jonker and Volgenant arrange it): rows are added one at a time, each by a Dijkstra-like search
// over reduced costs, O(r² c) for r ≤ c (the matrix is transposed when it has more rows than columns).

export interface Assignment {
  /** rowToCol[r] = the column matched to row r, or −1 if row r is left out (only when rows > cols). */
  rowToCol: Int32Array;
  /** colToRow[c] = the row matched to column c, or −1 if column c is left out (when cols > rows). */
  colToRow: Int32Array;
  /** Σ of the matched entries of the given matrix: min(rows, cols) of them. */
  total: number;
}

export type AssignmentObjective = "min" | "max";

function checkMatrix(values: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new Error(`assignment: rows and cols must be whole numbers ≥ 0, found ${rows} × ${cols}`);
  }
  if (values.length !== rows * cols) {
    throw new Error(`assignment: expected rows × cols = ${rows} × ${cols} = ${rows * cols} values, found ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`assignment: expected finite values, found ${values[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
}

/**
 * Minimum-cost assignment of r rows to c ≥ r columns of `cost` (row-major, r × c); every row is
 * matched. Returns, for each row, its column.
 */
function assignRows(cost: Float64Array, r: number, c: number): Int32Array {
  // 1-based as in the textbook statement: row 0 and column 0 are the virtual start of each search.
  const u = new Float64Array(r + 1); // row potentials
  const v = new Float64Array(c + 1); // column potentials
  const rowOfCol = new Int32Array(c + 1); // 0 = column free
  const previous = new Int32Array(c + 1); // the column before this one on the shortest path
  const slack = new Float64Array(c + 1);
  const done = new Uint8Array(c + 1);
  for (let row = 1; row <= r; row++) {
    rowOfCol[0] = row;
    let col0 = 0;
    slack.fill(Infinity);
    done.fill(0);
    do {
      done[col0] = 1;
      const row0 = rowOfCol[col0];
      const base = (row0 - 1) * c - 1;
      let delta = Infinity;
      let next = -1;
      for (let col = 1; col <= c; col++) {
        if (done[col]) continue;
        const reduced = cost[base + col] - u[row0] - v[col];
        if (reduced < slack[col]) {
          slack[col] = reduced;
          previous[col] = col0;
        }
        if (slack[col] < delta) {
          delta = slack[col];
          next = col;
        }
      }
      for (let col = 0; col <= c; col++) {
        if (done[col]) {
          u[rowOfCol[col]] += delta;
          v[col] -= delta;
        } else {
          slack[col] -= delta;
        }
      }
      col0 = next;
    } while (rowOfCol[col0] !== 0);
    // Flip the augmenting path back to its start.
    do {
      const col1 = previous[col0];
      rowOfCol[col0] = rowOfCol[col1];
      col0 = col1;
    } while (col0 !== 0);
  }
  const rowToCol = new Int32Array(r).fill(-1);
  for (let col = 1; col <= c; col++) if (rowOfCol[col] !== 0) rowToCol[rowOfCol[col] - 1] = col - 1;
  return rowToCol;
}

/**
 * The optimal assignment of a rows × cols matrix (row-major): min(rows, cols) pairs, no row or
 * column used twice, with the least (objective "min") or greatest ("max") total. Ties are broken
 * arbitrarily but deterministically.
 */
export function solveAssignment(values: ArrayLike<number>, rows: number, cols: number, objective: AssignmentObjective = "min"): Assignment {
  checkMatrix(values, rows, cols);
  if (objective !== "min" && objective !== "max") throw new Error(`assignment: objective must be "min" or "max", found ${String(objective)}`);
  const sign = objective === "max" ? -1 : 1;
  const transpose = rows > cols;
  const r = transpose ? cols : rows;
  const c = transpose ? rows : cols;
  const cost = new Float64Array(r * c);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) cost[transpose ? j * c + i : i * c + j] = sign * values[i * cols + j];
  }
  const matched = r === 0 ? new Int32Array(0) : assignRows(cost, r, c);
  const rowToCol = new Int32Array(rows).fill(-1);
  const colToRow = new Int32Array(cols).fill(-1);
  let total = 0;
  for (let k = 0; k < r; k++) {
    const [row, col] = transpose ? [matched[k], k] : [k, matched[k]];
    rowToCol[row] = col;
    colToRow[col] = row;
    total += values[row * cols + col];
  }
  return { rowToCol, colToRow, total };
}

/** solveAssignment for a matrix given as rows of numbers (all of one length). */
export function solveAssignmentRows(matrix: readonly (readonly number[])[], objective: AssignmentObjective = "min"): Assignment {
  const rows = matrix.length;
  const cols = rows === 0 ? 0 : matrix[0].length;
  matrix.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`assignment: every row must have ${cols} values (as row 0 does), found ${row.length} in row ${i}`);
  });
  return solveAssignment(matrix.flat(), rows, cols, objective);
}
