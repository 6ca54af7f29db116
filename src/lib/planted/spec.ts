// What a planted-feature data set is made of, as plain JSON, and the one check of it that pages,
// loaders and the generator share. The benchmark plants n known sparse features in d < n
// dimensions (superposition) so that an SAE's decoder can be scored against the truth; the spec
// must be small enough to generate and train on live in a browser, and it comes from text inputs,
// so every number may arrive as a string and every message names the field, the rule and the value.
import { describeValue } from "../validate-input.js";

export interface PlantedSpec {
  /** Dimensions of the activations, 2 to 128. */
  d: number;
  /** Planted features, d to 1024 (n > d: the features overlap). */
  n: number;
  /** Rows of activations to generate, 1 to 200,000 (and samples × n at most MAX_CODE_ENTRIES). */
  samples: number;
  /** Seed of every random stream (directions, firing, magnitudes, noise), a whole number in [0, 2^32). */
  seed: number;
  firing: {
    /**
     * The mean over features of the marginal firing probability p_i, in (0, 1]. Feature i's base
     * weight is (i + 1)^-zipfExponent; it is scaled by one constant (found by bisection so that the
     * mean of the marginals, hierarchy included, equals this value) and clamped to at most 1.
     */
    meanProbability: number;
    /** Zipf exponent of the base weights, 0 to 4 (0 or absent: every feature has the same weight). */
    zipfExponent?: number;
  };
  /**
   * A firing feature's value is lognormal with this mean and standard deviation (of the value itself,
   * not of its log): sigma^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) − sigma^2 / 2. Always positive; sd 0
   * gives the constant `mean`. mean in [0.001, 1000] (so sd / mean ≤ 10^6 and sigma stays finite), sd in
   * [0, 1000].
   */
  magnitude: { mean: number; sd: number };
  /**
   * Correlated co-firing, rho in [0, 1). Features are cut into groups of CORRELATION_GROUP_SIZE
   * consecutive indices within each block (parents, children, free). Per sample and group one shared
   * z ~ N(0, 1) is drawn; feature i fires when sqrt(rho)·z + sqrt(1 − rho)·e_i > t_i with its own
   * e_i ~ N(0, 1) and t_i the upper-tail N(0, 1) quantile of its (conditional) probability: a Gaussian
   * copula, so each marginal stays exact and rho is the correlation of the latent normals.
   */
  correlation: number;
  /**
   * `parents` features (indices 0 .. parents − 1) each have `childrenPerParent` children (parent k's
   * children at parents + k·childrenPerParent + j). A child is only considered when its parent fires,
   * and then fires with its own conditional probability; so it never fires without its parent.
   * parents × (1 + childrenPerParent) must fit within n.
   */
  hierarchy: { parents: number; childrenPerParent: number };
  /** Standard deviation of the isotropic Gaussian noise added to every activation entry, 0 to 1000. */
  noise: number;
}

export const PLANTED_LIMITS = {
  d: { min: 2, max: 128 },
  n: { max: 1024 },
  samples: { min: 1, max: 200_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  zipfExponent: { min: 0, max: 4 },
  magnitude: { min: 0.001, max: 1000 },
  noise: { max: 1000 },
} as const;

/** samples × n at most: the codes matrix is that many float32s (100 MB), about what a browser tab can spare. */
export const MAX_CODE_ENTRIES = 25_000_000;

/** Features that share one copula latent (the last group of a block may be smaller). */
export const CORRELATION_GROUP_SIZE = 4;

export const DEFAULT_PLANTED_SPEC: PlantedSpec = {
  d: 24,
  n: 96,
  samples: 20_000,
  seed: 1,
  firing: { meanProbability: 0.05, zipfExponent: 0.5 },
  magnitude: { mean: 1, sd: 0.3 },
  correlation: 0.3,
  hierarchy: { parents: 6, childrenPerParent: 3 },
  noise: 0.02,
};

export type ValidatedSpec = { spec: PlantedSpec } | { error: string };

/** A number as written: digits with an optional sign, point and exponent; "12abc", "", "0x10" and "1_000" are not. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value as a number if it is one or is a string that reads strictly as one; otherwise undefined. */
function toNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "string") {
    const text = raw.trim();
    return NUMBER_TEXT.test(text) ? Number(text) : undefined;
  }
  return undefined;
}

const shown = (raw: unknown): string => (raw === undefined || raw === null || raw === "" ? "nothing" : describeValue(raw));

class SpecError extends Error {}

/** A whole number in [min, max]; `belowMin` explains a lower bound that comes from another field. */
function wholeNumber(raw: unknown, name: string, min: number, max: number, belowMin = ""): number {
  const value = toNumber(raw);
  if (value === undefined || !Number.isInteger(value)) {
    throw new SpecError(`${name} must be a whole number between ${min} and ${max}, found ${shown(raw)}`);
  }
  if (value < min) throw new SpecError(`${name} must be a whole number ≥ ${min}${belowMin}, found ${value}`);
  if (value > max) throw new SpecError(`${name} must be a whole number ≤ ${max}, found ${value}`);
  return value;
}

/** A real number in an interval; `open` marks the ends that are excluded. */
function realNumber(raw: unknown, name: string, min: number, max: number, open: { min?: boolean; max?: boolean } = {}, kind = "a number"): number {
  const interval = `${open.min ? "(" : "["}${min}, ${max}${open.max ? ")" : "]"}`;
  const value = toNumber(raw);
  if (value === undefined) throw new SpecError(`${name} must be ${kind} in ${interval}, found ${shown(raw)}`);
  const outside = (open.min ? value <= min : value < min) || (open.max ? value >= max : value > max);
  if (outside) throw new SpecError(`${name} must be ${kind} in ${interval}, found ${value}`);
  return value;
}

function record(raw: unknown, name: string, keys: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  const form = `{ ${keys.map((k) => (optional.includes(k) ? `${k}?` : k)).join(", ")} }`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new SpecError(`${name} must be an object ${form}, found ${shown(raw)}`);
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!keys.includes(key)) throw new SpecError(`${name === "spec" ? "" : `${name}.`}${key} is not a field of ${name} (expected ${form})`);
  }
  return object;
}

const TOP_KEYS = ["d", "n", "samples", "seed", "firing", "magnitude", "correlation", "hierarchy", "noise"] as const;

/**
 * Checks and normalizes a spec from anywhere (JSON, a form of text inputs): numbers may be numeric
 * strings, parsed strictly; every field is required except firing.zipfExponent (default 0); unknown
 * fields are errors (a typo must not silently fall back to a default). The first problem found is
 * returned as one sentence naming the field, what it must be and what was found.
 */
export function validatePlantedSpec(raw: unknown): ValidatedSpec {
  try {
    const top = record(raw, "spec", TOP_KEYS);
    const { d: dLimit, n: nLimit, samples: sLimit, seed: seedLimit } = PLANTED_LIMITS;
    const d = wholeNumber(top.d, "d", dLimit.min, dLimit.max);
    const n = wholeNumber(top.n, "n", d, nLimit.max, " (n ≥ d)");
    const samples = wholeNumber(top.samples, "samples", sLimit.min, sLimit.max);
    if (samples * n > MAX_CODE_ENTRIES) {
      throw new SpecError(
        `samples × n must be at most ${MAX_CODE_ENTRIES} (the codes are a samples × n float32 matrix), found ${samples} × ${n} = ${samples * n}`,
      );
    }
    const seed = wholeNumber(top.seed, "seed", seedLimit.min, seedLimit.max);

    const firingRaw = record(top.firing, "firing", ["meanProbability", "zipfExponent"], ["zipfExponent"]);
    const meanProbability = realNumber(firingRaw.meanProbability, "firing.meanProbability", 0, 1, { min: true }, "a probability");
    const { min: zMin, max: zMax } = PLANTED_LIMITS.zipfExponent;
    const zipfExponent = firingRaw.zipfExponent === undefined ? 0 : realNumber(firingRaw.zipfExponent, "firing.zipfExponent", zMin, zMax);

    const magnitudeRaw = record(top.magnitude, "magnitude", ["mean", "sd"]);
    const mean = realNumber(magnitudeRaw.mean, "magnitude.mean", PLANTED_LIMITS.magnitude.min, PLANTED_LIMITS.magnitude.max);
    const sd = realNumber(magnitudeRaw.sd, "magnitude.sd", 0, PLANTED_LIMITS.magnitude.max);

    const correlation = realNumber(top.correlation, "correlation", 0, 1, { max: true });

    const hierarchyRaw = record(top.hierarchy, "hierarchy", ["parents", "childrenPerParent"]);
    const parents = wholeNumber(hierarchyRaw.parents, "hierarchy.parents", 0, n);
    const childrenPerParent = wholeNumber(hierarchyRaw.childrenPerParent, "hierarchy.childrenPerParent", 0, n - 1);
    const used = parents * (1 + childrenPerParent);
    if (used > n) {
      throw new SpecError(
        `hierarchy must fit within n: parents × (1 + childrenPerParent) = ${parents} × ${1 + childrenPerParent} = ${used} features, but n is ${n}`,
      );
    }

    const noise = realNumber(top.noise, "noise", 0, PLANTED_LIMITS.noise.max);
    return {
      spec: {
        d,
        n,
        samples,
        seed,
        firing: { meanProbability, zipfExponent },
        magnitude: { mean, sd },
        correlation,
        hierarchy: { parents, childrenPerParent },
        noise,
      },
    };
  } catch (error) {
    if (error instanceof SpecError) return { error: error.message };
    throw error;
  }
}

/** validatePlantedSpec for callers that hold a spec already: returns it normalized or throws the message. */
export function checkPlantedSpec(raw: unknown): PlantedSpec {
  const result = validatePlantedSpec(raw);
  if ("error" in result) throw new Error(`planted spec: ${result.error}`);
  return result.spec;
}
