// Plants known sparse features in synthetic activations (a small SynthSAEBench): n unit directions
// in d dimensions, codes that fire with set probabilities, in correlated groups and in parent/child
// hierarchies, and activations = codes · directions + noise. An SAE trained on the activations is then
// scored against the directions and codes (recovery.ts). Deterministic for a seed; codes are drawn
// sparsely (only firing features get a magnitude and touch the activations), so the default spec
// generates in tens of milliseconds.
import type { ActivationMatrix } from "../analysis/types.js";
import type { PlantedSpec } from "./spec.js";
import { checkPlantedSpec, CORRELATION_GROUP_SIZE } from "./spec.js";
import { featureStructure } from "./structure.js";
import { UpperTailTest } from "./normal.js";
import { deriveSeed, gaussian, mulberry32 } from "../random.js";

/** The seed path of each random stream: changing one part of the spec leaves the other streams as they were. */
export const PLANTED_STREAMS = { directions: 1, firing: 2, magnitudes: 3, noise: 4 } as const;

const SMALLEST_FLOAT32 = 1.401298464324817e-45;

/** The codes' nonzeros by row (compressed sparse rows), feature indices increasing within a row. */
export interface SparseCodes {
  /** Row r's entries are rowStart[r] .. rowStart[r + 1] − 1. */
  rowStart: Int32Array;
  feature: Int32Array;
  value: Float32Array;
}

export interface PlantedData {
  /** The validated spec it was made from. */
  spec: PlantedSpec;
  /** n × d, row-major, unit-norm rows: the true feature directions. */
  directions: Float32Array;
  /** p_i, the marginal probability that feature i fires in a sample. */
  firingProbabilities: Float64Array;
  /** q_i: for a child P(fires | parent fires), for the others p_i. */
  conditionalProbabilities: Float64Array;
  /** parentOf[i] = i's parent, −1 for none. */
  parentOf: Int32Array;
  /** groupOf[i] = the copula group whose shared latent feature i reads. */
  groupOf: Int32Array;
  /** samples × n, row-major, mostly zero: the true codes (positive where a feature fires). */
  codes: Float32Array;
  /** The same codes, nonzeros only. */
  sparseCodes: SparseCodes;
  /** samples × d, row-major: codes · directions + noise. */
  activations: Float32Array;
  /** Shape of `activations`: rows = samples, cols = d. */
  rows: number;
  cols: number;
}

/**
 * n seeded Gaussian vectors in R^d, each scaled to unit norm. Nothing is orthogonalized: with n > d
 * the directions overlap by construction (two random unit vectors in R^d have |cos| about
 * sqrt(2 / (π d)) on average, 0.16 at d = 24), which is the superposition an SAE has to undo.
 */
export function plantDirections(n: number, d: number, seed: number): Float32Array {
  const random = mulberry32(deriveSeed(seed, PLANTED_STREAMS.directions));
  const directions = new Float32Array(n * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    // A draw of (numerically) zero length is redrawn; it has probability 0 but must not divide by 0.
    while (norm < 1e-12) {
      norm = 0;
      for (let k = 0; k < d; k++) {
        row[k] = gaussian(random);
        norm += row[k] * row[k];
      }
    }
    const inverse = 1 / Math.sqrt(norm);
    for (let k = 0; k < d; k++) directions[i * d + k] = row[k] * inverse;
  }
  return directions;
}

/** Growable parallel arrays for the nonzeros. */
class NonzeroList {
  feature: Int32Array;
  value: Float32Array;
  length = 0;
  constructor(capacity: number) {
    this.feature = new Int32Array(Math.max(16, capacity));
    this.value = new Float32Array(Math.max(16, capacity));
  }
  push(feature: number, value: number): void {
    if (this.length === this.feature.length) {
      const feature = new Int32Array(this.length * 2);
      feature.set(this.feature);
      this.feature = feature;
      const values = new Float32Array(this.length * 2);
      values.set(this.value);
      this.value = values;
    }
    this.feature[this.length] = feature;
    this.value[this.length] = value;
    this.length++;
  }
}

/** Generates the planted data set of a spec (validated here; throws the validation message). */
export function plantFeatures(specInput: PlantedSpec): PlantedData {
  const spec = checkPlantedSpec(specInput);
  const { d, n, samples, seed, correlation: rho, noise } = spec;
  const structure = featureStructure(spec);
  const { parentOf, groupStart, conditionalProbabilities: q, thresholds, firingProbabilities } = structure;
  const directions = plantDirections(n, d, seed);

  const fire = mulberry32(deriveSeed(seed, PLANTED_STREAMS.firing));
  const magnitudeRandom = mulberry32(deriveSeed(seed, PLANTED_STREAMS.magnitudes));
  const { mean, sd } = spec.magnitude;
  const logVariance = Math.log(1 + (sd * sd) / (mean * mean));
  const logMean = Math.log(mean) - logVariance / 2;
  const logSd = Math.sqrt(logVariance);
  const magnitude = sd === 0 ? () => mean : () => Math.exp(logMean + logSd * gaussian(magnitudeRandom));

  // Given the group's z, feature i fires when e_i > x = (t_i − sqrt(rho)·z) / sqrt(1 − rho), that is
  // with probability Q(x) = P(N(0, 1) > x). One uniform per considered feature decides (u < Q(x)).
  const shared = Math.sqrt(rho);
  const ownScale = 1 / Math.sqrt(1 - rho);
  const tail = new UpperTailTest();
  const groups = groupStart.length - 1;

  let expected = 0;
  for (let i = 0; i < n; i++) expected += firingProbabilities[i];
  const nonzeros = new NonzeroList(Math.ceil(expected * samples * 1.1) + 64);
  const rowStart = new Int32Array(samples + 1);
  // firedIn[i] = 1 + the last sample in which feature i fired, so no per-sample clearing is needed.
  const firedIn = new Int32Array(n);
  // A group of children whose parents all stayed silent has nothing to decide: skip its draws.
  const isChildGroup = Uint8Array.from({ length: groups }, (_, g) => (parentOf[groupStart[g]] >= 0 ? 1 : 0));
  const anyParentFired = (g: number, stamp: number): boolean => {
    for (let i = groupStart[g]; i < groupStart[g + 1]; i++) if (firedIn[parentOf[i]] === stamp) return true;
    return false;
  };

  for (let s = 0; s < samples; s++) {
    rowStart[s] = nonzeros.length;
    for (let g = 0; g < groups; g++) {
      if (isChildGroup[g] && !anyParentFired(g, s + 1)) continue;
      const z = rho > 0 ? gaussian(fire) : 0;
      for (let i = groupStart[g]; i < groupStart[g + 1]; i++) {
        const parent = parentOf[i];
        if (parent >= 0 && firedIn[parent] !== s + 1) continue;
        const fires = q[i] >= 1 || (rho > 0 ? tail.below(fire(), (thresholds[i] - shared * z) * ownScale) : fire() < q[i]);
        if (fires) {
          firedIn[i] = s + 1;
          // Float32 storage: a (vanishingly rare) value below its smallest positive number would read as "not firing".
          nonzeros.push(i, Math.max(magnitude(), SMALLEST_FLOAT32));
        }
      }
    }
  }
  rowStart[samples] = nonzeros.length;
  const sparseCodes: SparseCodes = {
    rowStart,
    feature: nonzeros.feature.slice(0, nonzeros.length),
    value: nonzeros.value.slice(0, nonzeros.length),
  };

  const codes = new Float32Array(samples * n);
  const activations = new Float32Array(samples * d);
  const noiseRandom = mulberry32(deriveSeed(seed, PLANTED_STREAMS.noise));
  const row = new Float64Array(d);
  for (let s = 0; s < samples; s++) {
    row.fill(0);
    for (let e = rowStart[s]; e < rowStart[s + 1]; e++) {
      const i = sparseCodes.feature[e];
      const value = sparseCodes.value[e];
      codes[s * n + i] = value;
      const offset = i * d;
      for (let k = 0; k < d; k++) row[k] += value * directions[offset + k];
    }
    if (noise > 0) for (let k = 0; k < d; k++) row[k] += noise * gaussian(noiseRandom);
    activations.set(row, s * d);
  }

  return {
    spec,
    directions,
    firingProbabilities,
    conditionalProbabilities: q,
    parentOf,
    groupOf: structure.groupOf,
    codes,
    sparseCodes,
    activations,
    rows: samples,
    cols: d,
  };
}

/** The activations as the ActivationMatrix that analyses and SAE training read. */
export const activationMatrix = (data: PlantedData): ActivationMatrix => ({ rows: data.rows, cols: data.cols, data: data.activations });
/** The true directions as an n × d matrix, the `truth` of recovery.ts. */
export const directionMatrix = (data: PlantedData): ActivationMatrix => ({ rows: data.spec.n, cols: data.spec.d, data: data.directions });
/** The true codes as a samples × n matrix. */
export const codeMatrix = (data: PlantedData): ActivationMatrix => ({ rows: data.rows, cols: data.spec.n, data: data.codes });

export interface GeneratorDescription {
  generator: string;
  version: number;
  spec: PlantedSpec;
  /** The formulas in words, one entry per part of the generator. */
  definitions: Record<"directions" | "layout" | "firing" | "hierarchy" | "correlation" | "magnitude" | "noise" | "activations" | "randomness", string>;
  derived: {
    /** The Zipf scale c. */
    scale: number;
    /** Σ_i p_i: the expected number of firing features per sample. */
    expectedL0: number;
    firingProbabilities: number[];
    conditionalProbabilities: number[];
    parentOf: number[];
    groupOf: number[];
  };
}

/**
 * A JSON-able account of the generator for a spec, to ship next to exported files: every parameter,
 * every formula in words, the seed streams, and the per-feature probabilities and structure it implies.
 */
export function describeGenerator(specInput: PlantedSpec): GeneratorDescription {
  const spec = checkPlantedSpec(specInput);
  const s = featureStructure(spec);
  const { parents, childrenPerParent } = spec.hierarchy;
  const childEnd = parents + parents * childrenPerParent;
  let expectedL0 = 0;
  for (let i = 0; i < spec.n; i++) expectedL0 += s.firingProbabilities[i];
  return {
    generator: "planted sparse features (after SynthSAEBench, SAELens sae_lens/synthetic)",
    version: 1,
    spec,
    definitions: {
      directions: "n rows of d independent N(0, 1) draws, each divided by its Euclidean norm; not orthogonalized, so with n > d they overlap.",
      layout:
        parents === 0 || childrenPerParent === 0
          ? `no hierarchy: all ${spec.n} features are free.`
          : `features 0..${parents - 1} are parents; parent k's children are ${parents} + k·${childrenPerParent} + j for j < ${childrenPerParent}; features ${childEnd}..${spec.n - 1} are free.`,
      firing:
        "base weight w_i = (i + 1)^-zipfExponent; q_i = min(1, c·w_i); marginal p_i = q_i, or q_parent·q_i for a child; the scale c is set by bisection so that the mean of p_i over features equals firing.meanProbability.",
      hierarchy:
        "a child is considered only in samples where its parent fires, and then fires with probability q_i (its conditional probability); it never fires without its parent.",
      correlation: `Gaussian copula: features form groups of ${CORRELATION_GROUP_SIZE} consecutive indices within each block (parents, children, free); per sample and group z ~ N(0, 1); feature i fires when sqrt(correlation)·z + sqrt(1 − correlation)·e_i > t_i, e_i ~ N(0, 1) its own, t_i the upper-tail N(0, 1) quantile of q_i. Each marginal is exact; correlation is that of the latent normals within a group.`,
      magnitude:
        "a firing feature's code is lognormal with mean magnitude.mean and standard deviation magnitude.sd: exp(mu + sigma·N(0, 1)), sigma² = ln(1 + sd²/mean²), mu = ln(mean) − sigma²/2 (the constant mean when sd = 0). Codes are 0 where a feature does not fire.",
      noise: "every activation entry gets independent N(0, noise²) noise.",
      activations: "activations[s] = Σ_i codes[s, i]·directions[i] + noise, a samples × d matrix.",
      randomness: `mulberry32 streams seeded with deriveSeed(seed, k): directions k = ${PLANTED_STREAMS.directions}, firing (copula latents and uniforms) k = ${PLANTED_STREAMS.firing}, magnitudes k = ${PLANTED_STREAMS.magnitudes}, noise k = ${PLANTED_STREAMS.noise}.`,
    },
    derived: {
      scale: s.scale,
      expectedL0,
      firingProbabilities: Array.from(s.firingProbabilities),
      conditionalProbabilities: Array.from(s.conditionalProbabilities),
      parentOf: Array.from(s.parentOf),
      groupOf: Array.from(s.groupOf),
    },
  };
}
