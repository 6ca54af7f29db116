// The starting point of training, seeded: decoder rows random unit vectors, the encoder their
// transpose (OpenAI: it makes the first codes meaningful and avoids early dead latents), encoder
// biases 0, and b_dec at the geometric median of a sample of the (normalized) inputs.
import type { ActivationMatrix } from "../analysis/types.js";
import { deriveSeed, gaussian, mulberry32, sampleIndices } from "../random.js";
import type { SaeConfig } from "./config.js";
import { geometricMedian } from "./geometric-median.js";
import type { ParameterLayout } from "./parameters.js";

/** Rows the geometric median of b_dec is computed on: plenty for a starting point, and fast. */
export const MEDIAN_SAMPLE_SIZE = 4096;

/** Which random stream each use of the seed gets (deriveSeed(seed, stream, ...)). */
export const SEED_STREAMS = { decoder: 0, shuffle: 1, median: 2, resample: 3 } as const;

/** The rows `indices` of `data`, multiplied by `scale`. */
export function scaledRows(data: ActivationMatrix, indices: ArrayLike<number>, scale: number): ActivationMatrix {
  const { cols } = data;
  const out = new Float32Array(indices.length * cols);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r] * cols;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data.data[from + c] * scale;
  }
  return { rows: indices.length, cols, data: out };
}

export function initialParameters(data: ActivationMatrix, config: SaeConfig, inputScale: number, layout: ParameterLayout): Float32Array {
  const { dIn, dSae, bDec, wDec } = layout;
  const theta = new Float32Array(layout.size);
  const random = mulberry32(deriveSeed(config.seed, SEED_STREAMS.decoder));
  const row = new Float64Array(dIn);
  for (let j = 0; j < dSae; j++) {
    let norm: number;
    // A zero draw has probability 0; redraw rather than divide by it.
    do {
      let squares = 0;
      for (let i = 0; i < dIn; i++) {
        row[i] = gaussian(random);
        squares += row[i] * row[i];
      }
      norm = Math.sqrt(squares);
    } while (norm === 0);
    for (let i = 0; i < dIn; i++) {
      const value = row[i] / norm;
      theta[wDec + j * dIn + i] = value;
      theta[i * dSae + j] = value;
    }
  }
  const sample = sampleIndices(data.rows, MEDIAN_SAMPLE_SIZE, mulberry32(deriveSeed(config.seed, SEED_STREAMS.median)));
  theta.set(geometricMedian(scaledRows(data, sample, inputScale)).median, bDec);
  return theta;
}
