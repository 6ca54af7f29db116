// The PCA and ICA bases of a layer's training activations that sweep SAEs read (src/lib/sae/basis.ts).
// PCA is fitted on every training sample. FastICA is fitted on a seeded sample of them: on all
// 60,000 rows of a 32-unit layer it took 45 s here, far more than the SAEs it serves.
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { scaledRows } from "../../src/lib/sae/init.js";
import type { FittedBasis } from "../../src/lib/sae/basis.js";
import { icaBasis, pcaBasis } from "../../src/lib/sae/fit-basis.js";
import type { SweepBasisFit } from "../../src/lib/sae/sweep-file.js";
import { deriveSeed, mulberry32, sampleIndices } from "../../src/lib/random.js";

export const ICA_FIT = { rows: 10_000, seed: 5 } as const;

export interface BasisFit {
  basis: FittedBasis;
  fit: SweepBasisFit;
}

export function fitBasis(name: FittedBasis["name"], train: ActivationMatrix): BasisFit {
  if (name === "pca") return { basis: pcaBasis(train), fit: { name, rows: train.rows } };
  const sample = sampleIndices(train.rows, ICA_FIT.rows, mulberry32(deriveSeed(ICA_FIT.seed, 0)));
  const { basis, iterations, converged } = icaBasis(scaledRows(train, sample, 1), ICA_FIT.seed);
  return { basis, fit: { name, rows: sample.length, iterations, converged } };
}
