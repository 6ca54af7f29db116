// The rule that picks a sparse probe's columns: the one-way ANOVA F statistic of each column
// against the digit on the training rows (between-class mean square over within-class mean square,
// sklearn's f_classif). It looks at one column at a time and does not depend on the probe.
import type { ActivationMatrix } from "../analysis/types.js";

export function anovaF(x: ActivationMatrix, labels: ArrayLike<number>, classes: number): Float64Array {
  const { rows, cols, data } = x;
  if (labels.length !== rows) throw new Error(`anovaF: expected one label per row (${rows}), found ${labels.length}`);
  const counts = new Float64Array(classes);
  const sums = new Float64Array(classes * cols);
  const total = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    counts[labels[r]]++;
    for (let c = 0; c < cols; c++) {
      sums[labels[r] * cols + c] += data[r * cols + c];
      total[c] += data[r * cols + c];
    }
  }
  const present = counts.filter((n) => n > 0).length;
  const within = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const k = labels[r];
    for (let c = 0; c < cols; c++) within[c] += (data[r * cols + c] - sums[k * cols + c] / counts[k]) ** 2;
  }
  const f = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let between = 0;
    for (let k = 0; k < classes; k++) if (counts[k] > 0) between += counts[k] * (sums[k * cols + c] / counts[k] - total[c] / rows) ** 2;
    const betweenSquare = between / Math.max(1, present - 1);
    const withinSquare = within[c] / Math.max(1, rows - present);
    // Relative thresholds: float rounding leaves tiny sums where the exact ones are 0.
    const scale = Math.max(1e-300, ...[between, within[c]].map(Math.abs));
    const noBetween = between <= 1e-12 * scale;
    const noWithin = within[c] <= 1e-12 * scale;
    f[c] = noBetween ? 0 : noWithin ? Infinity : betweenSquare / withinSquare;
  }
  return f;
}

/** Column indices by F, largest first (the lower index on a tie). */
export function rankFeatures(x: ActivationMatrix, labels: ArrayLike<number>, classes: number): Int32Array {
  const f = anovaF(x, labels, classes);
  return Int32Array.from(f.keys()).sort((a, b) => f[b] - f[a] || a - b);
}

/** 1, 2, 4, ... below `features`, then `features` itself: the k of the sparse probes. */
export function sparseSizes(features: number): number[] {
  const sizes: number[] = [];
  for (let k = 1; k < features; k *= 2) sizes.push(k);
  sizes.push(features);
  return sizes;
}

/** The chosen columns, in the given order. */
export function selectColumns(x: ActivationMatrix, columns: ArrayLike<number>): ActivationMatrix {
  const out = new Float32Array(x.rows * columns.length);
  for (let r = 0; r < x.rows; r++) {
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      if (!(c >= 0 && c < x.cols)) throw new Error(`selectColumns: column ${c} is not one of the ${x.cols}`);
      out[r * columns.length + i] = x.data[r * x.cols + c];
    }
  }
  return { rows: x.rows, cols: columns.length, data: out };
}
