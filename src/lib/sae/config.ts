// How a sparse autoencoder is shaped and trained, as plain JSON: the build-time sweep hashes it
// into cache keys, cfg.json records it, and the page and the worker pass it around unchanged.
// One trainer (train.ts) serves every architecture; each architecture is a module of
// architectures/ (registered in architectures/index.ts) that adds its own settings and checks.
import { describeValue, isPositiveInteger } from "../validate-input.js";
import { architecture, isSaeArchitecture, SAE_ARCHITECTURES, type SaeArchitecture, type SaeConfig, type SaeConfigInput } from "./architectures/index.js";
import { INPUT_NORMALIZATIONS, type InputNormalization, type ResampleConfig } from "./architectures/contract.js";

export { SAE_ARCHITECTURES, type SaeArchitecture, type SaeConfig, type SaeConfigInput };
export { INPUT_NORMALIZATIONS, type InputNormalization, type ResampleConfig };

export const SAE_DEFAULTS = {
  learningRate: 1e-3,
  batchSize: 256,
  steps: 5000,
  warmupSteps: 100,
  l1WarmupSteps: 500,
  deadAfterInputs: 20_000,
  resample: null,
  seed: 1,
  inputNormalization: "mean-norm",
} as const;

/** Fills in the defaults (the shared ones, then the architecture's own) and checks the result. */
export function saeConfig(input: SaeConfigInput): SaeConfig {
  const shared = { ...SAE_DEFAULTS, ...input } as SaeConfig;
  const filled = isSaeArchitecture(shared.architecture) ? architecture(shared.architecture).withDefaults(shared) : shared;
  const problem = checkSaeConfig(filled);
  if (problem !== null) throw new Error(`SAE config: ${problem}`);
  return filled;
}

/** Codes above this count as "active" (for L0, firing rates, dead latents): 0 for most; sigmoid codes are never exactly 0. */
export function activeAbove(name: SaeArchitecture): number {
  return architecture(name).activeAbove;
}

const isNonNegativeInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

/** The first bad value of `config`, as one sentence, or null when the config is usable. */
export function checkSaeConfig(config: SaeConfig): string | null {
  if (config === null || typeof config !== "object") return `expected a config object, found ${describeValue(config)}`;
  const c = config as unknown as Record<string, unknown>;
  if (!isSaeArchitecture(c.architecture)) {
    return `architecture must be one of ${SAE_ARCHITECTURES.map((a) => JSON.stringify(a)).join(", ")}, found ${describeValue(c.architecture)}`;
  }
  if (!isPositiveInteger(c.dIn)) return `dIn (the input width) must be a positive integer, found ${describeValue(c.dIn)}`;
  if (!isPositiveInteger(c.dSae)) return `dSae (the dictionary size) must be a positive integer, found ${describeValue(c.dSae)}`;
  const sparsity = architecture(config.architecture).checkSparsity(config);
  if (sparsity !== null) return sparsity;
  if (!(typeof c.learningRate === "number" && Number.isFinite(c.learningRate) && c.learningRate > 0)) {
    return `learningRate must be a finite number > 0, found ${describeValue(c.learningRate)}`;
  }
  for (const name of ["batchSize", "steps", "deadAfterInputs"] as const) {
    if (!isPositiveInteger(c[name])) return `${name} must be a positive integer, found ${describeValue(c[name])}`;
  }
  for (const name of ["warmupSteps", "l1WarmupSteps"] as const) {
    if (!isNonNegativeInteger(c[name])) return `${name} must be an integer >= 0, found ${describeValue(c[name])}`;
  }
  const resample = c.resample as ResampleConfig | null;
  if (resample !== null) {
    if (typeof resample !== "object") return `resample must be null or {every, sampleSize}, found ${describeValue(resample)}`;
    if (!isPositiveInteger(resample.every)) return `resample.every must be a positive integer (steps), found ${describeValue(resample.every)}`;
    if (!isPositiveInteger(resample.sampleSize)) return `resample.sampleSize must be a positive integer (inputs), found ${describeValue(resample.sampleSize)}`;
  }
  if (!(typeof c.seed === "number" && Number.isInteger(c.seed))) return `seed must be an integer, found ${describeValue(c.seed)}`;
  if (!INPUT_NORMALIZATIONS.includes(c.inputNormalization as InputNormalization)) {
    return `inputNormalization must be one of ${INPUT_NORMALIZATIONS.map((n) => JSON.stringify(n)).join(", ")}, found ${describeValue(c.inputNormalization)}`;
  }
  return null;
}
