// Synthetic activations with a known answer: every input is a positive combination of 1 to 3
// atoms of a random dictionary of unit vectors, so a good SAE's decoder rows should find the atoms.
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { gaussian, mulberry32, sampleIndices } from "../../../../../src/lib/random.js";
import type { SaeArchitecture } from "../../../../../src/lib/sae/config.js";
import type { SaeWeights } from "../../../../../src/lib/sae/weights.js";
import type { ParameterLayout } from "../../../../../src/lib/sae/parameters.js";

export interface SparseDictionaryData {
  data: ActivationMatrix;
  /** [atoms, dIn] row-major, unit rows. */
  atoms: Float32Array;
  atomCount: number;
}

export function sparseDictionaryData(seed: number, { dIn = 16, atomCount = 32, rows = 4096, maxActive = 3 } = {}): SparseDictionaryData {
  const random = mulberry32(seed);
  const atoms = new Float32Array(atomCount * dIn);
  for (let a = 0; a < atomCount; a++) {
    let norm = 0;
    for (let i = 0; i < dIn; i++) {
      atoms[a * dIn + i] = gaussian(random);
      norm += atoms[a * dIn + i] ** 2;
    }
    for (let i = 0; i < dIn; i++) atoms[a * dIn + i] /= Math.sqrt(norm);
  }
  const data = new Float32Array(rows * dIn);
  for (let r = 0; r < rows; r++) {
    const active = 1 + Math.floor(random() * maxActive);
    for (const a of sampleIndices(atomCount, active, random)) {
      const coefficient = 0.5 + random();
      for (let i = 0; i < dIn; i++) data[r * dIn + i] += coefficient * atoms[a * dIn + i];
    }
  }
  return { data: { rows, cols: dIn, data }, atoms, atomCount };
}

/** Fraction of the true atoms that some decoder row matches at cosine similarity above `above`. */
export function recoveredFraction(truth: SparseDictionaryData, W_dec: Float32Array, dSae: number, above = 0.9): number {
  const dIn = truth.data.cols;
  let found = 0;
  for (let a = 0; a < truth.atomCount; a++) {
    let best = -Infinity;
    for (let j = 0; j < dSae; j++) {
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < dIn; i++) {
        dot += truth.atoms[a * dIn + i] * W_dec[j * dIn + i];
        norm += W_dec[j * dIn + i] ** 2;
      }
      if (norm > 0) best = Math.max(best, dot / Math.sqrt(norm));
    }
    if (best > above) found++;
  }
  return found / truth.atomCount;
}

/** Random weights of an architecture (6 inputs, 10 latents), with an input scale other than 1 so that its handling is exercised. */
export function randomWeights(architecture: SaeArchitecture, seed = 3): SaeWeights {
  const dIn = 6;
  const dSae = 10;
  const random = mulberry32(seed);
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * gaussian(random));
  return {
    architecture,
    dIn,
    dSae,
    ...(architecture === "topk" ? { k: 3 } : {}),
    W_enc: values(dIn * dSae, 0.5),
    b_enc: values(dSae, 0.3),
    W_dec: values(dSae * dIn, 0.5),
    b_dec: values(dIn, 0.3),
    ...(architecture === "batchtopk" ? { threshold: Float32Array.from({ length: dSae }, (_, j) => 0.1 * j) } : {}),
    inputScale: 1.7,
  };
}

/** Random flat parameters with unit decoder rows (what training keeps for every unit-norm architecture). */
export function unitDecoderParameters(layout: ParameterLayout, seed: number): Float32Array {
  const { dIn, dSae } = layout;
  const random = mulberry32(seed);
  const theta = Float32Array.from({ length: layout.size }, () => 0.5 * gaussian(random));
  for (let j = 0; j < dSae; j++) {
    const row = theta.subarray(layout.wDec + j * dIn, layout.wDec + (j + 1) * dIn);
    const norm = Math.hypot(...row);
    row.forEach((value, i) => (row[i] = value / norm));
  }
  return theta;
}
