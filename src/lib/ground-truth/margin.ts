// How far a basis's scores sit above its control's (a random dictionary at the same sparsity, or
// neurons thresholded to the same firing rate; see controls.ts), in numbers and in a phrase a
// page can print. A basis is only "more interpretable" by what it has beyond its control.
//
// The statistic is the median of the finite per-unit scores (NaN scores of dead units are left
// out). With several control seeds, the control's median is the median of the seeds' medians and
// its spread is their range and standard deviation. The margin counts as beyond noise when its
// size exceeds noise = max(range of the seeds' medians, 2 · their sd, minMargin): with one seed
// there is no spread to measure, so minMargin (default 0.02 on the [0, 1] score scale) is the
// floor. Only the control's variation across seeds enters; the basis's own sampling noise does
// not (resample images for that).
import { median } from "../analysis/predictions/model-comparison.js";

export interface ControlComparison {
  /** Median of the basis's finite scores. */
  median: number;
  /** Median of the control seeds' medians. */
  controlMedian: number;
  /** Each control seed's median. */
  controlMedians: number[];
  /** Over the control seeds' medians; sd is NaN for a single seed. */
  controlSpread: { min: number; max: number; sd: number };
  /** median − controlMedian. */
  margin: number;
  /** The size a margin must exceed to count. */
  noise: number;
  /** |margin| > noise (in either direction). */
  beyondNoise: boolean;
}

export interface CompareOptions {
  /** The least margin that counts, whatever the seeds' spread; default 0.02. */
  minMargin?: number;
}

/** The basis's scores against one control run's scores, or several (one per seed). */
export function compareToControl(
  scores: ArrayLike<number>,
  controls: ArrayLike<number> | readonly ArrayLike<number>[],
  options: CompareOptions = {},
): ControlComparison {
  const minMargin = options.minMargin ?? 0.02;
  if (!(minMargin >= 0)) throw new Error(`compareToControl: minMargin must be ≥ 0, found ${minMargin}`);
  const runs = isListOfRuns(controls) ? controls : [controls];
  if (runs.length === 0) throw new Error("compareToControl: expected at least one control run");
  const basis = median(Array.from(scores));
  const controlMedians = runs.map((run) => median(Array.from(run)));
  const finite = controlMedians.filter(Number.isFinite);
  const controlMedian = median(finite);
  const min = finite.length ? Math.min(...finite) : NaN;
  const max = finite.length ? Math.max(...finite) : NaN;
  let sd = NaN;
  if (finite.length >= 2) {
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1));
  }
  const noise = Math.max(Number.isFinite(max - min) ? max - min : 0, Number.isFinite(sd) ? 2 * sd : 0, minMargin);
  const margin = basis - controlMedian;
  return {
    median: basis,
    controlMedian,
    controlMedians,
    controlSpread: { min, max, sd },
    margin,
    noise,
    beyondNoise: Math.abs(margin) > noise,
  };
}

export interface PhraseOptions {
  /** Decimals of the numbers; default 2. */
  digits?: number;
  /** What the control is called; default "sparsity-matched control". */
  control?: string;
}

/** "0.21 above its sparsity-matched control", "0.05 below ...", or "within noise of its sparsity-matched control". */
export function marginPhrase(c: ControlComparison, options: PhraseOptions = {}): string {
  const digits = options.digits ?? 2;
  const control = options.control ?? "sparsity-matched control";
  if (!Number.isFinite(c.margin)) return `not comparable with its ${control} (no scores)`;
  if (!c.beyondNoise) return `within noise of its ${control}`;
  return `${Math.abs(c.margin).toFixed(digits)} ${c.margin > 0 ? "above" : "below"} its ${control}`;
}

/** The numbers behind the phrase: "median 0.43 against 0.22 (0.20–0.24 over 3 seeds)". */
export function controlDetail(c: ControlComparison, digits = 2): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
  const seeds = c.controlMedians.length;
  const spread = seeds > 1 ? ` (${f(c.controlSpread.min)}–${f(c.controlSpread.max)} over ${seeds} seeds)` : " (1 seed)";
  return `median ${f(c.median)} against ${f(c.controlMedian)}${spread}`;
}

function isListOfRuns(controls: ArrayLike<number> | readonly ArrayLike<number>[]): controls is readonly ArrayLike<number>[] {
  return Array.isArray(controls) && (controls.length === 0 || typeof controls[0] !== "number");
}

/**
 * The comparison with a wider noise floor: `extra` is another source of noise in the same units,
 * such as twice the sd of the basis's own median over training seeds. NaN `extra` (no seeds to
 * measure) leaves it as it is.
 */
export function widenNoise(c: ControlComparison, extra: number): ControlComparison {
  if (!Number.isFinite(extra)) return c;
  const noise = Math.max(c.noise, extra);
  return { ...c, noise, beyondNoise: Math.abs(c.margin) > noise };
}
