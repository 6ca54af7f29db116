// The planted benchmark's MCC from its downloaded files, computed a second way: |cosine| between
// every true direction and every learned decoder row with plain loops, and a one-to-one matching
// by the shortest-augmenting-path Hungarian method with row and column potentials (a different
// algorithm from src/lib/planted/hungarian.ts), minimizing −|cos|. MCC = mean matched |cos| over
// min(n, m) pairs (SAELens' definition).

function rowsOf(data: Float64Array, rows: number, cols: number): Float64Array[] {
  if (data.length !== rows * cols) throw new Error(`independent planted check: expected ${rows} × ${cols} values, found ${data.length}`);
  return Array.from({ length: rows }, (_, r) => data.subarray(r * cols, (r + 1) * cols));
}

function absCos(a: Float64Array, b: Float64Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) ((dot += a[i] * b[i]), (na += a[i] * a[i]), (nb += b[i] * b[i]));
  return na > 0 && nb > 0 ? Math.abs(dot) / Math.sqrt(na * nb) : 0;
}

/** Minimum-cost assignment of every row to a distinct column (rows ≤ cols); returns the column of each row. */
function assign(cost: number[][]): number[] {
  const n = cost.length;
  const m = cost[0].length;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const owner = new Array<number>(m + 1).fill(0); // owner[j]: the row (1-based) assigned to column j
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = owner[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) ((minv[j] = reduced), (way[j] = j0));
        if (minv[j] < delta) ((delta = minv[j]), (j1 = j));
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) ((u[owner[j]] += delta), (v[j] -= delta));
        else minv[j] -= delta;
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    do {
      const j1 = way[j0];
      owner[j0] = owner[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOf = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (owner[j] > 0) columnOf[owner[j] - 1] = j - 1;
  return columnOf;
}

/** MCC and mean max |cos| of a learned decoder [m, d] against the true directions [n, d]. */
export function independentPlantedScores(truth: Float64Array, learned: Float64Array, n: number, m: number, d: number): { mcc: number; meanMaxCos: number } {
  const t = rowsOf(truth, n, d);
  const l = rowsOf(learned, m, d);
  const cos = t.map((a) => l.map((b) => absCos(a, b)));
  const meanMaxCos = cos.reduce((sum, row) => sum + Math.max(...row), 0) / n;
  // Assign the smaller side to the larger.
  const small = n <= m ? cos : l.map((_, j) => t.map((__, i) => cos[i][j]));
  const matched = assign(small.map((row) => row.map((c) => -c)));
  const total = matched.reduce((sum, col, row) => sum + small[row][col], 0);
  return { mcc: total / Math.min(n, m), meanMaxCos };
}
