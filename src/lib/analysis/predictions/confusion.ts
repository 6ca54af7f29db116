// Confusion matrices and how predictions move when a model is changed (ablation, scaling).
import { assertLabels, assertNonNegativeInteger, assertPositiveInteger } from "../validate.js";

/** Counts with rows = true class and columns = predicted class: data[t * classes + p]. */
export interface ConfusionMatrix {
  classes: number;
  data: Uint32Array;
}

/** Difference of two confusion matrices, b - a, cell by cell. */
export interface ConfusionDelta {
  classes: number;
  data: Int32Array;
}

export interface PredictionShift {
  trueClass: number;
  predictedClass: number;
  /** Fraction of the true class predicted as predictedClass in the modified model. */
  fraction: number;
  /** The same fraction in the baseline. */
  baselineFraction: number;
  /** fraction - baselineFraction. */
  change: number;
}

export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): ConfusionMatrix {
  assertPositiveInteger(numClasses, "numClasses");
  const rows = labels?.length ?? 0;
  assertLabels(labels, rows, numClasses, "labels");
  assertLabels(predicted, rows, numClasses, "predicted");
  const data = new Uint32Array(numClasses * numClasses);
  for (let i = 0; i < rows; i++) data[labels[i] * numClasses + predicted[i]]++;
  return { classes: numClasses, data };
}

/** Fraction of predictions equal to the label; NaN when there are no examples. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length) {
    throw new Error(`accuracy: expected as many predictions as labels, found ${predicted.length} predictions and ${labels.length} labels`);
  }
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  return n === 0 ? NaN : correct / n;
}

/** Recall of each true class (diagonal / row total); NaN for a class with no examples. */
export function perClassAccuracy(confusion: ConfusionMatrix): Float64Array {
  assertConfusion(confusion, "confusion");
  const { classes, data } = confusion;
  const result = new Float64Array(classes);
  for (let t = 0; t < classes; t++) {
    let total = 0;
    for (let p = 0, o = t * classes; p < classes; p++) total += data[o + p];
    result[t] = total === 0 ? NaN : data[t * classes + t] / total;
  }
  return result;
}

/** b - a, cell by cell (e.g. modified minus baseline). */
export function confusionDelta(a: ConfusionMatrix, b: ConfusionMatrix): ConfusionDelta {
  assertConfusion(a, "confusionDelta a");
  assertConfusion(b, "confusionDelta b");
  assertSameSize(a, b);
  const data = new Int32Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = b.data[i] - a.data[i];
  return { classes: a.classes, data };
}

export interface PredictionShiftOptions {
  /** Keep only cells whose fraction of the true class changed by at least this much. */
  minFraction?: number;
}

/**
 * Off-diagonal cells whose share of their true class changed between baseline and modified,
 * largest |change| first (ties: lower true class, then lower predicted class). Classes with no
 * examples in either matrix are skipped, their fractions being undefined.
 */
export function predictionShifts(baseline: ConfusionMatrix, modified: ConfusionMatrix, options: PredictionShiftOptions = {}): PredictionShift[] {
  const { minFraction = 0 } = options;
  if (!(minFraction >= 0)) {
    throw new Error(`predictionShifts minFraction: expected a number >= 0, found ${minFraction}`);
  }
  assertConfusion(baseline, "predictionShifts baseline");
  assertConfusion(modified, "predictionShifts modified");
  assertSameSize(baseline, modified);
  const classes = baseline.classes;
  const shifts: PredictionShift[] = [];
  for (let t = 0; t < classes; t++) {
    const o = t * classes;
    let baseTotal = 0;
    let modTotal = 0;
    for (let p = 0; p < classes; p++) {
      baseTotal += baseline.data[o + p];
      modTotal += modified.data[o + p];
    }
    if (baseTotal === 0 || modTotal === 0) continue;
    for (let p = 0; p < classes; p++) {
      if (p === t) continue;
      const fraction = modified.data[o + p] / modTotal;
      const baselineFraction = baseline.data[o + p] / baseTotal;
      const change = fraction - baselineFraction;
      if (change === 0 || Math.abs(change) < minFraction) continue;
      shifts.push({ trueClass: t, predictedClass: p, fraction, baselineFraction, change });
    }
  }
  shifts.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.trueClass - y.trueClass || x.predictedClass - y.predictedClass);
  return shifts;
}

/**
 * Index of the largest value in each row of a row-major rows × cols matrix (first index on
 * ties; NaN entries are passed over). Uint8Array when cols <= 256, else Uint16Array.
 */
export function argmaxRows(logits: Float32Array, rows: number, cols: number): Uint8Array | Uint16Array {
  assertNonNegativeInteger(rows, "argmaxRows rows");
  assertPositiveInteger(cols, "argmaxRows cols");
  if (cols > 65536) throw new Error(`argmaxRows cols: expected at most 65536 columns, found ${cols}`);
  if (logits.length !== rows * cols) {
    throw new Error(`argmaxRows logits: expected rows × cols = ${rows} × ${cols} = ${rows * cols} values, found ${logits.length}`);
  }
  const result = cols <= 256 ? new Uint8Array(rows) : new Uint16Array(rows);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let best = 0;
    let bestValue = logits[o];
    for (let c = 1; c < cols; c++) {
      const v = logits[o + c];
      if (v > bestValue || (bestValue !== bestValue && v === v)) {
        best = c;
        bestValue = v;
      }
    }
    result[r] = best;
  }
  return result;
}

function assertConfusion(m: ConfusionMatrix, name: string): void {
  if (m === null || typeof m !== "object") throw new Error(`${name}: expected a confusion matrix, found ${m}`);
  assertPositiveInteger(m.classes, `${name}.classes`);
  if (!(m.data instanceof Uint32Array) || m.data.length !== m.classes * m.classes) {
    throw new Error(
      `${name}: expected a Uint32Array of classes² = ${m.classes * m.classes} counts, found ` +
        `${m.data?.constructor?.name ?? m.data} of length ${m.data?.length}`,
    );
  }
}

function assertSameSize(a: ConfusionMatrix, b: ConfusionMatrix): void {
  if (a.classes !== b.classes) {
    throw new Error(`confusion matrices: expected the same number of classes, found ${a.classes} and ${b.classes}`);
  }
}
