// How a sparse autoencoder is shaped and trained, as plain JSON: the build-time sweep hashes it
// into cache keys, cfg.json records it, and the page and the worker pass it around unchanged.
// One trainer (train.ts) serves every architecture; the architecture only picks the code
// function and the sparsity term.
import { describeValue, isPositiveInteger } from "../validate-input.js";

/**
 * - "l1": ReLU codes with an L1 penalty ("Towards Monosemanticity").
 * - "kl": sigmoid codes with a KL target-rate penalty (Stanford CS294A notes).
 * - "topk": the k largest ReLU codes of each input (OpenAI), AuxK against dead latents.
 * - "batchtopk": the k × batch largest codes of a whole batch (Bussmann et al., as SAELens
 *   trains it), AuxK too; at inference a per-latent JumpReLU threshold estimated in training.
 */
export type SaeArchitecture = "l1" | "kl" | "topk" | "batchtopk";
export const SAE_ARCHITECTURES: readonly SaeArchitecture[] = ["l1", "kl", "topk", "batchtopk"];

/**
 * - "none": the SAE sees the activations as they are.
 * - "mean-norm": inputs are multiplied by one factor so that their mean L2 norm over the training
 *   set is sqrt(dIn) (SAELens' "expected_average_only_in"), so that one learning rate and one L1
 *   coefficient suit layers of any scale. The factor is kept with the weights (inputScale) and
 *   undone on the way out: reconstructions and metrics are in the activations' own units.
 */
export type InputNormalization = "none" | "mean-norm";
export const INPUT_NORMALIZATIONS: readonly InputNormalization[] = ["none", "mean-norm"];

/** Resampling of dead latents as "Towards Monosemanticity" describes it (see resample.ts). */
export interface ResampleConfig {
  /** Resample at steps every, 2·every, …, except in the last `every` steps, so revived latents have time to train. */
  every: number;
  /** Training inputs scored by reconstruction error to pick the new directions from. */
  sampleSize: number;
}

interface CommonSaeConfig {
  /** Width of the activations the SAE reads. */
  dIn: number;
  /** Number of latents (the dictionary size). */
  dSae: number;
  /** Adam's step size after warm-up (β1 0.9, β2 0.999, ε 1e-8, fixed). */
  learningRate: number;
  batchSize: number;
  steps: number;
  /** The learning rate rises linearly from learningRate / warmupSteps to learningRate over these steps. */
  warmupSteps: number;
  /**
   * The sparsity coefficient (l1Coefficient for "l1", beta for "kl") rises linearly over these
   * steps, a guard against latents dying early. TopK variants fix sparsity by k and ignore it.
   */
  l1WarmupSteps: number;
  /**
   * A latent is dead in training (for AuxK, resampling and the progress report) once it has not
   * fired on this many consecutive training inputs. OpenAI uses 10M tokens; on MNIST-sized data
   * the default, 20,000 inputs (a third of the training set), already means "useless on a
   * 10,000-image test set".
   */
  deadAfterInputs: number;
  /** null: no resampling. */
  resample: ResampleConfig | null;
  /** Seeds the decoder's initial directions, the shuffle, the geometric median's sample and resampling. */
  seed: number;
  inputNormalization: InputNormalization;
}

export interface L1SaeConfig extends CommonSaeConfig {
  architecture: "l1";
  /** λ in loss = mean ||x − x̂||² + λ · mean Σ_j f_j (decoder rows are unit norm, so no norm weighting is needed). */
  l1Coefficient: number;
}

export interface KlSaeConfig extends CommonSaeConfig {
  architecture: "kl";
  /** The target mean activation of every latent, in (0, 1); CS294A suggests 0.05. */
  rho: number;
  /** Weight of Σ_j KL(rho ‖ rho_hat_j). */
  beta: number;
}

interface TopKFamilyConfig extends CommonSaeConfig {
  /** Active latents per input (exactly, for "topk"; on average over a batch, for "batchtopk"). */
  k: number;
  /** Dead latents that AuxK lets reconstruct the residual (OpenAI: dIn / 2); capped by the dead count. */
  kAux: number;
  /** Weight of the AuxK loss (OpenAI: 1/32). */
  auxCoefficient: number;
}

export interface TopKSaeConfig extends TopKFamilyConfig {
  architecture: "topk";
}

export interface BatchTopKSaeConfig extends TopKFamilyConfig {
  architecture: "batchtopk";
}

export type SaeConfig = L1SaeConfig | KlSaeConfig | TopKSaeConfig | BatchTopKSaeConfig;

type Defaulted = "learningRate" | "batchSize" | "steps" | "warmupSteps" | "l1WarmupSteps" | "deadAfterInputs" | "resample" | "seed" | "inputNormalization" | "kAux" | "auxCoefficient";

/** A config with the settings that have a sensible default left out. */
export type SaeConfigInput = SaeConfig extends infer C ? (C extends SaeConfig ? Omit<C, Defaulted & keyof C> & Partial<Pick<C, Defaulted & keyof C>> : never) : never;

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

/** AuxK's weight in OpenAI's recipe. */
export const AUX_COEFFICIENT = 1 / 32;

/** Fills in the defaults (for the TopK variants also kAux = dIn / 2, rounded up, and auxCoefficient 1/32, OpenAI's recipe) and checks the result. */
export function saeConfig(input: SaeConfigInput): SaeConfig {
  const filled = { ...SAE_DEFAULTS, ...input } as SaeConfig;
  if (filled.architecture === "topk" || filled.architecture === "batchtopk") {
    filled.kAux ??= Math.ceil(filled.dIn / 2);
    filled.auxCoefficient ??= AUX_COEFFICIENT;
  }
  const problem = checkSaeConfig(filled);
  if (problem !== null) throw new Error(`SAE config: ${problem}`);
  return filled;
}

/**
 * Which code values count as "active" (for L0, firing rates, dead latents): above 0 for the ReLU
 * family; above 0.5 for sigmoid codes, which are never exactly 0; 0.5 is where the pre-activation
 * crosses 0, the same place a ReLU starts to fire.
 */
export function activeAbove(architecture: SaeArchitecture): number {
  return architecture === "kl" ? 0.5 : 0;
}

/** Whether training keeps decoder rows at unit norm; sigmoid codes are bounded by 1, so "kl"'s decoder norms carry the scale. */
export function hasUnitNormDecoder(architecture: SaeArchitecture): boolean {
  return architecture !== "kl";
}

const isNonNegativeInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isFiniteNonNegative = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** The first bad value of `config`, as one sentence, or null when the config is usable. */
export function checkSaeConfig(config: SaeConfig): string | null {
  if (config === null || typeof config !== "object") return `expected a config object, found ${describeValue(config)}`;
  const c = config as unknown as Record<string, unknown>;
  if (!SAE_ARCHITECTURES.includes(c.architecture as SaeArchitecture)) {
    return `architecture must be one of ${SAE_ARCHITECTURES.map((a) => JSON.stringify(a)).join(", ")}, found ${describeValue(c.architecture)}`;
  }
  if (!isPositiveInteger(c.dIn)) return `dIn (the input width) must be a positive integer, found ${describeValue(c.dIn)}`;
  if (!isPositiveInteger(c.dSae)) return `dSae (the dictionary size) must be a positive integer, found ${describeValue(c.dSae)}`;
  const sparsity = checkSparsity(config);
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

function checkSparsity(config: SaeConfig): string | null {
  switch (config.architecture) {
    case "l1":
      if (!isFiniteNonNegative(config.l1Coefficient)) return `l1Coefficient must be a finite number >= 0, found ${describeValue(config.l1Coefficient)}`;
      return null;
    case "kl":
      if (!(typeof config.rho === "number" && config.rho > 0 && config.rho < 1)) {
        return `rho (the target firing rate) must be strictly between 0 and 1, found ${describeValue(config.rho)}`;
      }
      if (!isFiniteNonNegative(config.beta)) return `beta (the KL penalty's weight) must be a finite number >= 0, found ${describeValue(config.beta)}`;
      return null;
    case "topk":
    case "batchtopk":
      if (!isPositiveInteger(config.k)) return `k (active latents per input) must be a positive integer, found ${describeValue(config.k)}`;
      if (config.k > config.dSae) return `k (${config.k}) must be at most the dictionary size (${config.dSae})`;
      if (!isPositiveInteger(config.kAux)) return `kAux (dead latents in the AuxK loss) must be a positive integer, found ${describeValue(config.kAux)}`;
      if (config.kAux > config.dSae) return `kAux (${config.kAux}) must be at most the dictionary size (${config.dSae})`;
      if (!isFiniteNonNegative(config.auxCoefficient)) return `auxCoefficient must be a finite number >= 0, found ${describeValue(config.auxCoefficient)}`;
      return null;
  }
}
