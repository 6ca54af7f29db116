// Feature absorption (Chanin et al. 2024, "A is for Absorption"; SAEBench's absorption eval) for a
// hierarchical concept such as "has a closed loop" (holes ≥ 1, which 0, 6, 8 and 9 mostly have):
// an SAE may learn a general latent for the concept that stays silent on the images of one child
// (say the 8s), where a more specific latent fires instead and carries the concept's direction.
// The concept's detector then has holes no probe on that latent alone can see.
//
// SAEBench's definition, followed here (thresholds as in its FeatureAbsorptionCalculator and
// AbsorptionEvalConfig; the numbers are facts of that benchmark, the code is this project's):
//   1. Ground-truth probe: a logistic probe for the concept on the layer's own activations (the
//      neurons), trained on the training split with the classes balanced (SAEBench weights the
//      positives by negatives/positives; here the larger class is subsampled, seeded). Its
//      direction p̂ is the unit vector of its weights in raw neuron units (w / std, since the
//      project's probes read standardized columns).
//   2. Main latents: k-sparse probes on the SAE codes for k = 1..10 (max_k_value 10), columns
//      ranked by the signed difference of means (only latents that rise with the concept;
//      SAEBench ranks by an L1 probe's positive weights, the same intent), trained balanced and
//      scored (F1 of "logit > 0") on all test images. The main latents are those of the largest
//      k reached while each k's F1 beats the previous accepted F1 by more than 0.03
//      (f1_jump_threshold); k = 1 is always accepted.
//   3. Images: the test images that have the concept and on which the probe is right (logit > 0),
//      SAEBench's "probe true positives"; every rate below is over these.
//   4. Full absorption of an image (SAEBench's full_absorption_rate): every main latent is silent
//      (code ≤ activeAbove, SAEBench's EPS 1e-8); the latent with the largest projection on p̂ has
//      decoder cosine with p̂ ≥ 0.025; the image's projection on p̂ is > 0 (SAEBench: ≥ 0; an
//      exact 0 leaves the ratio undefined, so it does not count); and that latent's projection is
//      ≥ 0.4 of the image's projection.
//   5. Absorption fraction (SAEBench's mean_absorption_fraction, partial absorption too): with
//      main = Σ of the main latents' projections and S = the sum of the (up to) 3 largest
//      positive projections among the other latents whose cosine with p̂ is ≥ 0.1, the fraction is
//      0 when main ≥ total or S < 0.4 · total, 1 when main ≤ 0, and otherwise
//      a / (a + main) with a = min(S, total − main). Images whose projection is ≤ 0 get 0.
//   The "false negatives" are the images where every main latent is silent, whatever fires.
//
// Projections: latent j's projection on an image is code_j · (d_j · p̂), d_j its decoder row in
// neuron units (what one unit of code adds to the neurons). SAEBench writes code_j · cos(d_j, p̂),
// the same number for its unit-norm decoders; this form is also right for decoders whose rows are
// not unit norm (KL SAEs) and for an input scale. Codes at or below activeAbove count as 0 here
// too (a KL SAE's sigmoid codes are never exactly 0). The image's projection is (x − origin) · p̂
// with origin 0 by default, as SAEBench projects raw activations. A ReLU layer's activations
// have a large positive mean, so `origin` = the SAE's zero-code reconstruction
// (decoderInNeuronSpace(...).offset) is offered: then the latents' projections add up to the
// image's, up to the reconstruction error, and the 0.4 share means what it says.
//
// The decoder must be in neuron space: an SAE that reads a PCA/ICA basis (sae/basis.ts) has its
// rows mapped through the basis's inverse first; decoderInNeuronSpace does it.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import type { FittedBasis } from "../sae/basis.js";
import type { SaeWeights } from "../sae/weights.js";
import { assertActivationMatrix, assertFiniteActivations } from "../analysis/validate.js";
import { linearScores, trainLogisticProbe } from "../probes/logistic.js";
import { PROBE_SETUP } from "../probes/setup.js";
import { f1Score } from "./best-f1.js";
import { balancedRows, kSparseProbe, splitRows, takeProbeSet, type RowSplit, type SparseProbeResult } from "./sparse-probing.js";
import type { BinaryConcept } from "./types.js";

/** SAEBench's thresholds and this module's defaults. */
export const ABSORPTION_SETUP = {
  /** k-sparse probes on the codes for k = 1..maxK (SAEBench max_k_value). */
  maxK: 10,
  /** A larger k is accepted while its F1 beats the last accepted F1 by more than this (f1_jump_threshold). */
  f1Jump: 0.03,
  /** Full absorption: the top-projecting latent's decoder cosine with the probe (full_absorption_probe_cos_sim_threshold). */
  cosineThreshold: 0.025,
  /** Absorption fraction: a potential absorber's decoder cosine with the probe (absorption_fraction_probe_cos_sim_threshold). */
  fractionCosineThreshold: 0.1,
  /** Share of the image's probe projection the absorber(s) must carry (probe_projection_proportion_threshold). */
  projectionShare: 0.4,
  /** Absorption fraction: at most this many absorbing latents (absorption_fraction_max_absorbing_latents). */
  maxAbsorbers: 3,
  /** A latent is silent when its code is ≤ this (SAEBench's EPS; a KL SAE's sigmoid codes need 0.5). */
  activeAbove: 1e-8,
  /** SAEBench evaluates a concept only where the ground-truth probe's F1 is at least this (min_GT_probe_f1). */
  minProbeF1: 0.6,
  /** The default split when none is given: half the images train, stratified by the concept. */
  trainFraction: 0.5,
  seed: 1,
} as const;

export interface AbsorptionInput {
  concept: BinaryConcept;
  /** The layer's own activations, [images, dNeurons]. */
  neurons: ActivationMatrix;
  /** The SAE's codes on the same images, [images, dSae]. */
  codes: ActivationMatrix;
  /** [dSae, dNeurons] row-major: latent j's decoder direction in neuron units (decoderInNeuronSpace). */
  decoder: Float32Array | Float64Array;
  /** Which images train the probes and which are scored; default splitRows(images, 0.5, seed, concept). */
  split?: RowSplit;
}

export interface AbsorptionOptions {
  maxK?: number;
  f1Jump?: number;
  cosineThreshold?: number;
  fractionCosineThreshold?: number;
  projectionShare?: number;
  maxAbsorbers?: number;
  activeAbove?: number;
  minProbeF1?: number;
  trainFraction?: number;
  seed?: number;
  /** Subtracted from every image's neurons before projecting on the probe (default 0, SAEBench). */
  origin?: ArrayLike<number>;
  /** The logistic probes' L2 (PROBE_SETUP.logistic.l2). */
  l2?: number;
  kernels?: WebAssembly.Module;
  pause?: () => Promise<void>;
}

export interface Absorber {
  latent: number;
  /** Images fully absorbed by this latent (it was the top-projecting latent there). */
  count: number;
  /** Its decoder's cosine with the probe direction. */
  cosine: number;
}

export interface AbsorptionResult {
  /** Full-absorption rate: fully absorbed images / images. */
  rate: number;
  /** Mean absorption fraction over the images (partial absorption counted in part). */
  meanAbsorptionFraction: number;
  /** Images where every main latent is silent / images. */
  falseNegativeRate: number;
  mainLatents: number[];
  /** Decoder cosine of each main latent with the probe, in mainLatents' order. */
  mainLatentCosines: number[];
  /** The latents that fully absorbed some image, most images first (the lower index on a tie). */
  absorbers: Absorber[];
  /** Test images that have the concept and on which the probe is right: the denominator. */
  images: number;
  /** Test images that have the concept. */
  conceptImages: number;
  fullyAbsorbed: number;
  falseNegatives: number;
  probe: {
    testAccuracy: number;
    testF1: number;
    /** probe F1 ≥ minProbeF1 and at least one image: SAEBench would evaluate this concept. */
    usable: boolean;
    /** Unit vector in neuron units, [dNeurons]. */
    direction: Float64Array;
  };
  /** The k-sparse probes on the codes (k = 1..maxK) that chose the main latents. */
  sparseProbes: SparseProbeResult[];
}

/**
 * An SAE's decoder rows and zero-code reconstruction in the layer's neuron units: the SAE
 * reconstructs x̂ = (f · W_dec + b_dec) / inputScale in the space it reads, and, when it reads a
 * PCA/ICA basis, x̂_neurons = x̂ · inverse + mean (sae/basis.ts). So decoder row j is
 * W_dec[j] / inputScale (· inverse), and offset = b_dec / inputScale (· inverse + mean).
 */
export function decoderInNeuronSpace(
  sae: Pick<SaeWeights, "dIn" | "dSae" | "W_dec" | "b_dec" | "inputScale">,
  basis?: FittedBasis,
): { decoder: Float32Array; offset: Float32Array } {
  const { dIn, dSae, W_dec, b_dec, inputScale } = sae;
  if (W_dec.length !== dSae * dIn || b_dec.length !== dIn)
    throw new Error(`decoderInNeuronSpace: W_dec must hold dSae × dIn = ${dSae * dIn} values and b_dec ${dIn}, found ${W_dec.length} and ${b_dec.length}`);
  if (!basis) return { decoder: W_dec.map((v) => v / inputScale), offset: b_dec.map((v) => v / inputScale) };
  if (basis.dIn !== dIn) throw new Error(`decoderInNeuronSpace: the SAE reads ${dIn} values, the ${basis.name} basis gives ${basis.dIn}`);
  const dLayer = basis.dLayer;
  const map = (row: ArrayLike<number>, base: ArrayLike<number> | null) => {
    const out = new Float64Array(dLayer);
    if (base) for (let c = 0; c < dLayer; c++) out[c] = base[c];
    for (let i = 0; i < dIn; i++) {
      const z = row[i] / inputScale;
      if (z !== 0) for (let c = 0; c < dLayer; c++) out[c] += z * basis.inverse[i * dLayer + c];
    }
    return out;
  };
  const decoder = new Float32Array(dSae * dLayer);
  for (let j = 0; j < dSae; j++) decoder.set(map(W_dec.subarray(j * dIn, (j + 1) * dIn), null), j * dLayer);
  return { decoder, offset: Float32Array.from(map(b_dec, basis.mean)) };
}

/** The SAE-free part: the main latents from k-sparse probes' F1 per k (SAEBench's feature-split rule). */
export function mainLatentsFromProbes(probes: readonly SparseProbeResult[], f1Jump: number = ABSORPTION_SETUP.f1Jump): number[] {
  let best = -Infinity;
  let main: number[] = [];
  for (const p of [...probes].sort((a, b) => a.k - b.k)) {
    if (!(p.testF1 > best + f1Jump)) break;
    best = p.testF1;
    main = p.columns;
  }
  return main;
}

type Settings = { -readonly [K in keyof typeof ABSORPTION_SETUP]: number } & Pick<AbsorptionOptions, "origin" | "l2" | "kernels" | "pause">;

/**
 * SAEBench's absorption of one concept by one SAE (see the header): the full-absorption rate, the
 * mean absorption fraction and the false-negative rate over the test images that have the concept
 * and that the ground-truth probe gets right. Throws when the training images lack a class.
 */
export async function absorption(tf: TF, input: AbsorptionInput, options: AbsorptionOptions = {}): Promise<AbsorptionResult> {
  const o = { ...ABSORPTION_SETUP, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Settings;
  const { neurons, codes, decoder, concept } = input;
  assertActivationMatrix(neurons, "absorption: neurons");
  assertActivationMatrix(codes, "absorption: codes");
  assertFiniteActivations(neurons, "absorption: neurons");
  assertFiniteActivations(codes, "absorption: codes");
  const images = neurons.rows;
  const dNeurons = neurons.cols;
  const dSae = codes.cols;
  if (codes.rows !== images) throw new Error(`absorption: ${images} images of neurons but ${codes.rows} of codes`);
  if (concept.positive.length !== images) throw new Error(`absorption: concept ${concept.name} has ${concept.positive.length} values for ${images} images`);
  if (decoder.length !== dSae * dNeurons)
    throw new Error(`absorption: the decoder must be [dSae × dNeurons] = ${dSae} × ${dNeurons} = ${dSae * dNeurons} values, found ${decoder.length}`);
  if (o.origin !== undefined && o.origin.length !== dNeurons) throw new Error(`absorption: origin must have ${dNeurons} values, found ${o.origin.length}`);
  if (!Number.isInteger(o.maxK) || o.maxK < 1) throw new Error(`absorption: maxK must be a positive integer, found ${o.maxK}`);
  const split = input.split ?? splitRows(images, o.trainFraction, o.seed, concept.positive);

  // 1. The ground-truth probe on the neurons.
  const neuronTrain = takeProbeSet(neurons, concept.positive, split.train);
  const balanced = takeProbeSet(neuronTrain.x, neuronTrain.positive, balancedRows(neuronTrain.positive, o.seed));
  const n1 = balanced.positive.reduce((a, v) => a + v, 0);
  if (n1 === 0 || n1 === balanced.positive.length)
    throw new Error(`absorption: the training images need both classes of ${concept.name}, found ${n1} positives among ${balanced.positive.length}`);
  const probe = await trainLogisticProbe(tf, balanced.x, balanced.positive, 2, {
    ...PROBE_SETUP.logistic,
    ...(o.l2 !== undefined ? { l2: o.l2 } : {}),
    kernels: o.kernels,
    pause: o.pause,
  });
  const direction = new Float64Array(dNeurons);
  for (let f = 0; f < dNeurons; f++) direction[f] = (probe.weights[dNeurons + f] - probe.weights[f]) / probe.standardizer.scale[f];
  const norm = Math.hypot(...direction);
  if (!(norm > 0)) throw new Error(`absorption: the probe for ${concept.name} has zero weights`);
  for (let f = 0; f < dNeurons; f++) direction[f] /= norm;
  const neuronTest = takeProbeSet(neurons, concept.positive, split.test);
  const scores = linearScores(probe, neuronTest.x);
  const probeRight = Uint8Array.from({ length: neuronTest.x.rows }, (_, r) => (scores[2 * r + 1] - scores[2 * r] > 0 ? 1 : 0));
  let right = 0;
  for (let r = 0; r < probeRight.length; r++) if (probeRight[r] === neuronTest.positive[r]) right++;

  // 2. Main latents.
  // The probes read the codes with every silent one at 0, as the projections below do.
  const activeCodes = { rows: codes.rows, cols: dSae, data: codes.data.map((v) => (v > o.activeAbove ? v : 0)) };
  const codeTrain = takeProbeSet(activeCodes, concept.positive, split.train);
  const codeTest = takeProbeSet(activeCodes, concept.positive, split.test);
  const ks = Array.from({ length: Math.min(o.maxK, dSae) }, (_, i) => i + 1);
  const sparseProbes = await kSparseProbe(tf, codeTrain, codeTest, ks, {
    selection: "positive",
    balance: "train",
    seed: o.seed,
    l2: o.l2,
    kernels: o.kernels,
    pause: o.pause,
  });
  const mainLatents = mainLatentsFromProbes(sparseProbes, o.f1Jump);
  const isMain = new Uint8Array(dSae);
  for (const j of mainLatents) isMain[j] = 1;

  // Each latent's projection per unit code, and its cosine.
  const unit = new Float64Array(dSae);
  const cosine = new Float64Array(dSae);
  for (let j = 0; j < dSae; j++) {
    let dot = 0;
    let sq = 0;
    for (let f = 0; f < dNeurons; f++) {
      const d = decoder[j * dNeurons + f];
      dot += d * direction[f];
      sq += d * d;
    }
    unit[j] = dot;
    cosine[j] = sq > 0 ? dot / Math.sqrt(sq) : 0;
  }

  // 3–5. Over the probe's true positives on the test images.
  let counted = 0;
  let conceptImages = 0;
  let fullyAbsorbed = 0;
  let falseNegatives = 0;
  let fractionSum = 0;
  const absorbedBy = new Map<number, number>();
  const projection = new Float64Array(dSae);
  const others: number[] = [];
  for (let t = 0; t < split.test.length; t++) {
    if (!neuronTest.positive[t]) continue;
    conceptImages++;
    if (!probeRight[t]) continue;
    counted++;
    const row = split.test[t];
    let total = 0;
    for (let f = 0; f < dNeurons; f++) total += (neurons.data[row * dNeurons + f] - (o.origin ? o.origin[f] : 0)) * direction[f];
    let mainSilent = true;
    let mainProjection = 0;
    let top = -1;
    others.length = 0;
    for (let j = 0; j < dSae; j++) {
      const code = codes.data[row * dSae + j];
      const active = code > o.activeAbove;
      projection[j] = active ? code * unit[j] : 0;
      if (isMain[j]) {
        if (active) mainSilent = false;
        mainProjection += projection[j];
      } else if (projection[j] > 0 && cosine[j] >= o.fractionCosineThreshold) others.push(j);
      if (top < 0 || projection[j] > projection[top]) top = j;
    }
    if (mainSilent) falseNegatives++;
    if (mainSilent && total > 0 && cosine[top] >= o.cosineThreshold && projection[top] >= o.projectionShare * total) {
      fullyAbsorbed++;
      absorbedBy.set(top, (absorbedBy.get(top) ?? 0) + 1);
    }
    if (total > 0 && mainProjection < total) {
      others.sort((a, b) => projection[b] - projection[a] || a - b);
      let s = 0;
      for (let i = 0; i < Math.min(o.maxAbsorbers, others.length); i++) s += projection[others[i]];
      if (s >= o.projectionShare * total) {
        if (mainProjection <= 0) fractionSum += 1;
        else {
          const absorbed = Math.min(s, total - mainProjection);
          fractionSum += Math.min(1, Math.max(0, absorbed / (absorbed + mainProjection)));
        }
      }
    }
  }
  const probeF1 = f1Score(probeRight, neuronTest.positive).f1;
  const rate = (n: number) => (counted > 0 ? n / counted : NaN);
  return {
    rate: rate(fullyAbsorbed),
    meanAbsorptionFraction: rate(fractionSum),
    falseNegativeRate: rate(falseNegatives),
    mainLatents,
    mainLatentCosines: mainLatents.map((j) => cosine[j]),
    absorbers: [...absorbedBy].map(([latent, count]) => ({ latent, count, cosine: cosine[latent] })).sort((a, b) => b.count - a.count || a.latent - b.latent),
    images: counted,
    conceptImages,
    fullyAbsorbed,
    falseNegatives,
    probe: { testAccuracy: probeRight.length ? right / probeRight.length : NaN, testF1: probeF1, usable: probeF1 >= o.minProbeF1 && counted > 0, direction },
    sparseProbes,
  };
}
