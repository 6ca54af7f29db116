// The nulls every "how interpretable is this basis" number is measured against. A sparse code
// looks concentrated on few classes and concepts whatever it means, because it fires rarely
// (Leavitt & Morcos, ICLR 2021); so an SAE is compared with a random dictionary of the same width
// and sparsity, and neurons with themselves thresholded to the SAE's firing rate.
//
// Random dictionary: dSae directions drawn from a seeded standard Gaussian over the input's
// columns and normalized to unit length (uniform on the sphere). Inputs are centred on their
// column means before projecting, as SAEs subtract b_dec (near the mean or median) before
// encoding: a ReLU layer's activations have a large positive mean, and uncentred random
// directions would mostly measure it, the same latents winning the TopK on every image.
// The seed fixes the directions: randomDictionaryCodes and randomDictionaryAtFiringRate with the
// same input width, dSae and seed use the same dictionary.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations, assertNonNegativeInteger, assertPositiveInteger } from "../analysis/validate.js";
import { gaussian, mulberry32 } from "../random.js";
// The smallest normal float32: the floor of a code that must fire but sits at its threshold.
import { SMALLEST_POSITIVE } from "../sae/architectures/selection.js";

/** dSae unit directions over `dIn` inputs, as a row-major [dIn, dSae] matrix (column j = direction j). */
export function randomDirections(dIn: number, dSae: number, seed: number): Float64Array {
  assertPositiveInteger(dIn, "randomDirections: dIn");
  assertPositiveInteger(dSae, "randomDirections: dSae");
  const random = mulberry32(seed);
  const w = new Float64Array(dIn * dSae);
  for (let j = 0; j < dSae; j++) {
    let norm = 0;
    for (let i = 0; i < dIn; i++) {
      const g = gaussian(random);
      w[i * dSae + j] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dIn; i++) w[i * dSae + j] /= norm;
  }
  return w;
}

/** (x − column mean) · W for every row: [rows, dSae] pre-activations of the random dictionary. */
export function randomProjections(input: ActivationMatrix, dSae: number, seed: number): ActivationMatrix {
  assertActivationMatrix(input, "randomProjections: input");
  assertFiniteActivations(input, "randomProjections: input");
  const { rows, cols, data } = input;
  const w = randomDirections(cols, dSae, seed);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) mean[i] += data[r * cols + i];
  for (let i = 0; i < cols; i++) mean[i] /= rows || 1;
  const out = new Float32Array(rows * dSae);
  const pre = new Float64Array(dSae);
  for (let r = 0; r < rows; r++) {
    pre.fill(0);
    for (let i = 0; i < cols; i++) {
      const x = data[r * cols + i] - mean[i];
      if (x === 0) continue;
      const base = i * dSae;
      for (let j = 0; j < dSae; j++) pre[j] += x * w[base + j];
    }
    out.set(pre, r * dSae);
  }
  return { rows, cols: dSae, data: out };
}

/**
 * The codes of a random dictionary with a TopK SAE's width and sparsity: per row, ReLU of the
 * projections on the k largest, 0 elsewhere. Exactly k codes are nonzero in a row that has at
 * least k positive projections (ties with the k-th value go to the lower latent index), all
 * positive ones otherwise.
 */
export function randomDictionaryCodes(input: ActivationMatrix, dSae: number, k: number, seed: number): ActivationMatrix {
  assertPositiveInteger(k, "randomDictionaryCodes: k");
  if (k > dSae) throw new Error(`randomDictionaryCodes: k (${k}) must be at most dSae (${dSae})`);
  const pre = randomProjections(input, dSae, seed);
  const { rows, data } = pre;
  const sorted = new Float64Array(dSae);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * dSae, (r + 1) * dSae);
    sorted.set(row);
    sorted.sort();
    const kth = sorted[dSae - k];
    let above = 0;
    for (let j = 0; j < dSae; j++) if (row[j] > kth) above++;
    // k − above of the values tied with the k-th join those above it, lowest index first.
    let tiesLeft = k - above;
    for (let j = 0; j < dSae; j++) {
      const v = row[j];
      let keep = v > kth;
      if (v === kth && tiesLeft > 0) {
        keep = true;
        tiesLeft--;
      }
      row[j] = keep && v > 0 ? v : 0;
    }
  }
  return pre;
}

/**
 * The same random dictionary at a firing rate instead of a k, for L1, KL or JumpReLU SAEs whose
 * sparsity is how often each latent fires: latent j is ReLU(p_j − b_j) with its bias b_j set so
 * that it fires on round(rate_j · rows) rows, those with the largest projections (ties to the
 * lower row). A latent at its threshold is floored at the smallest positive float so that the
 * rate is exact. `firingRate` is one rate for every latent or one per latent (length dSae).
 */
export function randomDictionaryAtFiringRate(input: ActivationMatrix, dSae: number, firingRate: number | Float64Array, seed: number): ActivationMatrix {
  const rates = checkRates(firingRate, dSae, "randomDictionaryAtFiringRate: firingRate");
  const pre = randomProjections(input, dSae, seed);
  const { rows, data } = pre;
  const column = new Float64Array(rows);
  const sorted = new Float64Array(rows);
  for (let j = 0; j < dSae; j++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * dSae + j];
    const keep = Math.round(rates[j] * rows);
    const selected = topRows(column, keep, sorted);
    // The bias: the largest projection left out (or just below the smallest, when none is).
    const bias = keep < rows ? sorted[rows - keep - 1] : sorted[0];
    for (let r = 0; r < rows; r++) {
      data[r * dSae + j] = selected[r] ? Math.max(column[r] - bias, SMALLEST_POSITIVE) : 0;
    }
  }
  return pre;
}

/**
 * Each unit keeps its value on its top `rate` fraction of rows (round(rate · rows) rows, the
 * largest values, ties to the lower row) and is 0 elsewhere: neurons made as sparse as an SAE.
 * Values are kept as they are, so a unit whose kept rows include values ≤ 0 (it is active on
 * fewer rows than the rate, or it is signed) fires on fewer rows than the rate. `rate` is one
 * number or one per unit (length cols).
 */
export function thresholdToFiringRate(m: ActivationMatrix, rate: number | Float64Array): ActivationMatrix {
  assertActivationMatrix(m, "thresholdToFiringRate: m");
  assertFiniteActivations(m, "thresholdToFiringRate: m");
  const { rows, cols, data } = m;
  const rates = checkRates(rate, cols, "thresholdToFiringRate: rate");
  const out = new Float32Array(rows * cols);
  const column = new Float64Array(rows);
  const sorted = new Float64Array(rows);
  for (let u = 0; u < cols; u++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * cols + u];
    const selected = topRows(column, Math.round(rates[u] * rows), sorted);
    for (let r = 0; r < rows; r++) if (selected[r]) out[r * cols + u] = column[r];
  }
  return { rows, cols, data: out, ...(m.shape ? { shape: m.shape.slice() } : {}) };
}

export interface FiringRates {
  /** Per unit, the fraction of rows where its value is > 0. */
  rates: Float64Array;
  /** Units that fire on at least one row. */
  live: number;
  /** Mean rate over the live units; NaN when none is live. */
  meanLive: number;
}

/** How often each unit fires (value > 0), and the mean over the units that ever do. */
export function firingRates(m: ActivationMatrix): FiringRates {
  assertActivationMatrix(m, "firingRates: m");
  const { rows, cols, data } = m;
  const counts = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let u = 0; u < cols; u++) if (data[r * cols + u] > 0) counts[u]++;
  const rates = counts.map((c) => (rows > 0 ? c / rows : NaN));
  let live = 0;
  let sum = 0;
  for (let u = 0; u < cols; u++) {
    if (counts[u] > 0) {
      live++;
      sum += rates[u];
    }
  }
  return { rates, live, meanLive: live > 0 ? sum / live : NaN };
}

/**
 * 1 for the `keep` rows with the largest values (ties at the cut to the lower row), else 0.
 * `sorted` is scratch of the column's length; it is left holding the values in increasing order.
 */
function topRows(column: Float64Array, keep: number, sorted: Float64Array): Uint8Array {
  assertNonNegativeInteger(keep, "rows to keep");
  const n = column.length;
  const selected = new Uint8Array(n);
  sorted.set(column);
  sorted.sort();
  if (keep === 0) return selected;
  const cut = sorted[n - keep];
  let above = 0;
  for (let r = 0; r < n; r++) {
    if (column[r] > cut) {
      selected[r] = 1;
      above++;
    }
  }
  let tiesLeft = keep - above;
  for (let r = 0; r < n && tiesLeft > 0; r++) {
    if (column[r] === cut) {
      selected[r] = 1;
      tiesLeft--;
    }
  }
  return selected;
}

function checkRates(rate: number | Float64Array, units: number, name: string): Float64Array {
  assertNonNegativeInteger(units, `${name}: units`);
  const rates = typeof rate === "number" ? new Float64Array(units).fill(rate) : rate;
  if (!(rates instanceof Float64Array) || rates.length !== units) {
    throw new Error(`${name}: expected a number or a Float64Array of ${units} rates, found ${typeof rate === "number" ? rate : rate?.length}`);
  }
  for (let i = 0; i < units; i++) {
    if (!(rates[i] >= 0 && rates[i] <= 1)) throw new Error(`${name}: rates must be in [0, 1], found ${rates[i]} at ${i}`);
  }
  return rates;
}
