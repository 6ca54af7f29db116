// One file per (model, layer) for the SAE page: every SAE the build's sweep trained on that
// layer (sweep.ts), with its weights, its basis, its metrics and its training history, in a
// tensor bundle (the loader gzips it). The page builds each SAE's download (safetensors +
// cfg.json) from exactly these bytes with saeDownload. Pure, so Node and the browser agree.
import { decodeBundle, encodeBundle, requireArray, type DecodedBundle, type NamedArray } from "../codecs/tensor-bundle.js";
import { gunzipIfNeeded } from "../codecs/gzip.js";
import { checkSaeConfig, type SaeConfig } from "./config.js";
import { checkBasis, type FittedBasis } from "./basis.js";
import { saeSafetensors, type SaeCfgJson } from "./sae-files.js";
import { architecture } from "./architectures/index.js";
import { inferenceParameters } from "./architectures/inference.js";
import type { TrainingPoint } from "./train.js";
import { checkSaeWeights, type SaeWeights } from "./weights.js";
import type { BasisName } from "./sweep.js";

const FORMAT = "sae-sweep-v1";

/** metrics.ts' numbers for one SAE, as plain JSON; every one computed on the evaluation set, downstream ones on all test images. */
export interface SweepMetrics {
  l0: number;
  fractionVarianceExplained: number;
  normalizedMse: number;
  meanSquaredError: number;
  /** Latents that never fire on the evaluation set. */
  dead: number[];
  /** Latents above metrics.DENSE_FIRING_RATE. */
  dense: number[];
  densityHistogram: { edges: number[]; counts: number[]; dead: number };
  shrinkage: number;
  relativeReconstructionBias: number;
  /** Test accuracy and mean cross-entropy with the SAE's reconstruction in place of the layer. */
  accuracy: number;
  crossEntropy: number;
  /** The same for the network as it is, with the layer zeroed, and with every vector the training mean. */
  originalAccuracy: number;
  originalCrossEntropy: number;
  zeroAblationCrossEntropy: number;
  meanAblationCrossEntropy: number;
  /** (CE_ablated − CE_spliced) / (CE_ablated − CE_original), against zero and mean ablation. */
  lossRecoveredZero: number;
  lossRecoveredMean: number;
}

export interface SweepSamples {
  /** Activation vectors trained on. */
  train: number;
  /** Activation vectors the metrics but the downstream ones are computed on. */
  evaluation: number;
  /** Where both come from, in a sentence. */
  how: string;
}

/** How a basis was fitted, for the page to state. */
export interface SweepBasisFit {
  name: FittedBasis["name"];
  /** Rows it was fitted on. */
  rows: number;
  /** ICA only: FastICA's fixed-point updates and whether they converged. */
  iterations?: number;
  converged?: boolean;
}

export interface SweepFileSae {
  id: string;
  basis: BasisName;
  /** The full config it was trained with (dIn is the basis' width for ICA). */
  config: SaeConfig;
  /** Its cfg.json. */
  cfg: SaeCfgJson;
  metrics: SweepMetrics;
  /** The trainer's history points. */
  history: TrainingPoint[];
  trainSeconds: number;
  weights: SaeWeights;
  /** The PCA or ICA basis it reads, null on the neurons. */
  fittedBasis: FittedBasis | null;
}

export interface SweepFile {
  /** The registry name, e.g. "baseline-mlp". */
  model: string;
  /** The activation, e.g. "relu_1". */
  layer: string;
  /** Each position of a conv map is one sample (evaluationImages says which test images' positions are evaluated). */
  spatial: boolean;
  /** Width of the layer: units, or channels. */
  dLayer: number;
  samples: SweepSamples;
  /** Spatial layers: the test images whose positions form the evaluation set, in row order; null when it is every test image. */
  evaluationImages: Int32Array | null;
  bases: SweepBasisFit[];
  saes: SweepFileSae[];
}

type SaeMeta = Omit<SweepFileSae, "weights" | "fittedBasis">;

interface SweepMeta {
  format: typeof FORMAT;
  model: string;
  layer: string;
  spatial: boolean;
  dLayer: number;
  samples: SweepSamples;
  bases: SweepBasisFit[];
  saes: SaeMeta[];
}

const BASIS_ARRAYS = { mean: "basis_mean", transform: "basis_transform", inverse: "basis_inverse" } as const;
const EVALUATION_IMAGES = "evaluation/images";

/** The bundle's bytes (not yet gzipped). */
export function encodeSweepFile(file: SweepFile): Uint8Array {
  const arrays: NamedArray[] = [];
  const bases = new Map<string, FittedBasis>();
  for (const sae of file.saes) {
    const { weights, fittedBasis, id } = sae;
    checkSaeWeights(weights, `encodeSweepFile: ${id}`);
    const { dIn, dSae } = weights;
    arrays.push(
      { name: `${id}/W_enc`, shape: [dIn, dSae], data: weights.W_enc },
      { name: `${id}/b_enc`, shape: [dSae], data: weights.b_enc },
      { name: `${id}/W_dec`, shape: [dSae, dIn], data: weights.W_dec },
      { name: `${id}/b_dec`, shape: [dIn], data: weights.b_dec },
    );
    if (weights.threshold) arrays.push({ name: `${id}/threshold`, shape: [dSae], data: weights.threshold });
    if ((fittedBasis === null) !== (sae.basis === "neurons") || (fittedBasis !== null && fittedBasis.name !== sae.basis)) {
      throw new Error(`encodeSweepFile: ${id} reads the ${sae.basis} basis, but its fitted basis is ${fittedBasis?.name ?? "none"}`);
    }
    if (fittedBasis === null) continue;
    const known = bases.get(fittedBasis.name);
    if (known !== undefined && known !== fittedBasis) throw new Error(`encodeSweepFile: two different ${fittedBasis.name} bases; a file holds one of each`);
    bases.set(fittedBasis.name, fittedBasis);
  }
  for (const [name, basis] of bases) {
    checkBasis(basis, `encodeSweepFile: the ${name} basis`);
    arrays.push(
      { name: `${name}/${BASIS_ARRAYS.mean}`, shape: [basis.dLayer], data: basis.mean },
      { name: `${name}/${BASIS_ARRAYS.transform}`, shape: [basis.dIn, basis.dLayer], data: basis.transform },
      { name: `${name}/${BASIS_ARRAYS.inverse}`, shape: [basis.dIn, basis.dLayer], data: basis.inverse },
    );
  }
  if (file.evaluationImages !== null) arrays.push({ name: EVALUATION_IMAGES, shape: [file.evaluationImages.length], data: file.evaluationImages });
  const meta: SweepMeta = {
    format: FORMAT,
    model: file.model,
    layer: file.layer,
    spatial: file.spatial,
    dLayer: file.dLayer,
    samples: file.samples,
    bases: file.bases,
    saes: file.saes.map(({ weights: _weights, fittedBasis: _basis, ...meta }) => meta),
  };
  return encodeBundle(arrays, meta as unknown as Record<string, unknown>);
}

/** Decodes a sweep file, gzipped or not; `source` names it in error messages. */
export async function decodeSweepFile(buffer: ArrayBuffer, source = "SAE sweep file"): Promise<SweepFile> {
  const bundle = decodeBundle(await gunzipIfNeeded(buffer), source);
  const meta = bundle.meta as unknown as SweepMeta;
  if (meta.format !== FORMAT) throw new Error(`${source}: expected format "${FORMAT}", found ${JSON.stringify(meta.format)}`);
  if (!Array.isArray(meta.saes)) throw new Error(`${source}: expected a list of SAEs in the header, found ${typeof meta.saes}`);
  const bases = new Map<string, FittedBasis>();
  const basisNamed = (name: FittedBasis["name"], dIn: number): FittedBasis => {
    const known = bases.get(name);
    if (known) return known;
    const array = (part: string) => requireArray(bundle, `${name}/${part}`, "float32", source);
    const basis: FittedBasis = {
      name,
      dLayer: meta.dLayer,
      dIn,
      mean: array(BASIS_ARRAYS.mean).data,
      transform: array(BASIS_ARRAYS.transform).data,
      inverse: array(BASIS_ARRAYS.inverse).data,
    };
    checkBasis(basis, `${source}: the ${name} basis`);
    bases.set(name, basis);
    return basis;
  };
  const saes = meta.saes.map((sae): SweepFileSae => {
    const problem = checkSaeConfig(sae.config);
    if (problem !== null) throw new Error(`${source}: ${sae.id}: ${problem}`);
    return { ...sae, weights: weightsOf(bundle, sae, source), fittedBasis: sae.basis === "neurons" ? null : basisNamed(sae.basis, sae.config.dIn) };
  });
  const images = bundle.arrays[EVALUATION_IMAGES] ? requireArray(bundle, EVALUATION_IMAGES, "int32", source).data : null;
  return {
    model: meta.model,
    layer: meta.layer,
    spatial: meta.spatial,
    dLayer: meta.dLayer,
    samples: meta.samples,
    evaluationImages: images,
    bases: meta.bases,
    saes,
  };
}

function weightsOf(bundle: DecodedBundle, sae: SaeMeta, source: string): SaeWeights {
  const { id, config } = sae;
  const array = (part: string) => requireArray(bundle, `${id}/${part}`, "float32", source).data;
  const weights: SaeWeights = {
    architecture: config.architecture,
    dIn: config.dIn,
    dSae: config.dSae,
    ...inferenceParameters(architecture(config.architecture).inference, { k: (config as { k?: number }).k, threshold: () => array("threshold") }),
    W_enc: array("W_enc"),
    b_enc: array("b_enc"),
    W_dec: array("W_dec"),
    b_dec: array("b_dec"),
    inputScale: sae.cfg.input_scale,
  };
  checkSaeWeights(weights, `${source}: ${id}`);
  return weights;
}

/** One SAE's download: safetensors bytes (its weights and basis) and its cfg.json. */
export function saeDownload(file: SweepFile, id: string): { safetensors: Uint8Array; cfgJson: SaeCfgJson } {
  const sae = file.saes.find((s) => s.id === id);
  if (!sae) throw new Error(`saeDownload: ${file.model}/${file.layer} has no SAE ${JSON.stringify(id)}; it has ${file.saes.map((s) => s.id).join(", ")}`);
  return { safetensors: saeSafetensors(sae.weights, sae.fittedBasis), cfgJson: sae.cfg };
}
