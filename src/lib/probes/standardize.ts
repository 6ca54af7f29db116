// Every probe reads standardized columns: (x − mean) / std with the training rows' statistics, so
// that one L2 strength means the same for a pixel, a neuron and an SAE latent. A column without
// variance (a dead unit, a blank pixel) maps to 0.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix } from "../analysis/validate.js";

export interface Standardizer {
  mean: Float64Array;
  /** The population standard deviation, or 1 where it is below 1e-8. */
  scale: Float64Array;
}

export function fitStandardizer(x: ActivationMatrix): Standardizer {
  assertActivationMatrix(x, "fitStandardizer");
  const { rows, cols, data } = x;
  if (rows < 1) throw new Error("fitStandardizer: expected at least 1 row, found 0");
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) scale[c] += (data[r * cols + c] - mean[c]) ** 2;
  for (let c = 0; c < cols; c++) {
    const std = Math.sqrt(scale[c] / rows);
    scale[c] = std < 1e-8 ? 1 : std;
  }
  return { mean, scale };
}

export function standardize(s: Standardizer, x: ActivationMatrix): ActivationMatrix {
  assertActivationMatrix(x, "standardize");
  const { rows, cols, data } = x;
  if (cols !== s.mean.length) throw new Error(`standardize: fitted on ${s.mean.length} columns, given ${cols}`);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = (data[r * cols + c] - s.mean[c]) / s.scale[c];
  return { rows, cols, data: out };
}
