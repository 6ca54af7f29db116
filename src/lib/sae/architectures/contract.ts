// What every SAE architecture provides, in one contract: each architecture is one module of this
// folder (l1.ts, kl.ts, ...) registered in index.ts, and no code outside the folder names one.
// The shared machinery (the trainer, the two step paths, encoding, the files) asks the module.
import type { TF, Tensor, Tensor2D } from "../../tf-types.js";
import type { NumberRule } from "../../validate-input.js";
import type { KernelWorkspace, WasmBuffer } from "../../wasm/workspace.js";
import type { ParameterLayout } from "../parameters.js";
import type { InferenceFunction } from "./inference.js";

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

/** The settings every architecture shares; an architecture's config adds its own name and sparsity settings. */
export interface CommonSaeConfig {
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
   * A sparsity coefficient (an architecture's sparsityCoefficient) rises linearly over these
   * steps, a guard against latents dying early. Architectures whose sparsity is a count ignore it.
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

/** The shared settings that have a default (SAE_DEFAULTS in config.ts). */
export type CommonDefaulted =
  "learningRate" | "batchSize" | "steps" | "warmupSteps" | "l1WarmupSteps" | "deadAfterInputs" | "resample" | "seed" | "inputNormalization";

/** A config with the settings that have a default (the shared ones and the architecture's `Own`) left optional. */
export type ConfigInput<C, Own extends keyof C = never> = Omit<C, CommonDefaulted | Own> & Partial<Pick<C, (CommonDefaulted & keyof C) | Own>>;

/** The AuxK settings of the TopK family (OpenAI): dead latents reconstruct the residual. */
export interface AuxKConfig {
  /** Dead latents that AuxK lets reconstruct the residual (OpenAI: dIn / 2); capped by the dead count. */
  kAux: number;
  /** Weight of the AuxK loss (OpenAI: 1/32). */
  auxCoefficient: number;
}

/** One training step's codes on tfjs (train-step.ts), in normalized units. */
export interface TrainingCodes {
  /** f [B, dSae] */
  codes: Tensor;
  /** code'(pre) [B, dSae], by which ∂/∂f becomes ∂/∂pre. */
  gate: Tensor;
  /** 1 where a latent fired, [B, dSae]. */
  fired: Tensor;
  /** The sparsity term of the loss (a scalar; 0 when sparsity is a count). */
  sparsity: Tensor;
  /** ∂sparsity/∂f, broadcast over the batch; null when there is no sparsity term. */
  sparsityGradient: Tensor | null;
  /** The smallest positive code kept, for a JumpReLU threshold estimate (Infinity when none or not tracked). */
  minKept: Tensor;
}

export interface CodesInput {
  /** The pre-activation [B, dSae]. */
  pre: Tensor2D;
  /** The sparsity coefficient after warm-up (0 for architectures without one). */
  sparsityCoefficient: number;
}

/** The reconstruction terms of the loss and their gradients (train-step.ts), for architectures that change them. */
export interface Reconstruction {
  /** e = x̂ − x of the whole dictionary, [B, dIn] (AuxK's residual is −e). */
  error: Tensor;
  /** Σ||e||² of the whole dictionary (the step's reported MSE). */
  squaredError: Tensor;
  /** Reconstruction terms beyond Σ||e||²/B (a scalar; Matryoshka's inner prefixes). */
  penalty: Tensor;
  /** Gradients of all the reconstruction terms: W_dec [dSae, dIn], the codes [B, dSae], and b_dec through the decoder [dIn]. */
  dW_dec: Tensor;
  dCodes: Tensor;
  dDecoderBias: Tensor;
  /** Σ_b e / B of the whole dictionary [dIn] (AuxK's normalization). */
  meanError: Tensor;
}

export interface ReconstructionInput {
  codes: Tensor;
  W_dec: Tensor2D;
  b_dec: Tensor;
  x: Tensor2D;
}

/** The fused step's buffers an architecture's encoder reads and writes (fused-step.ts). */
export interface FusedCodesInput {
  kernels: KernelWorkspace["kernels"];
  /** [B, dSae], read. */
  pre: WasmBuffer;
  /** [B, dSae], written: f, code'(pre), and per latent the inputs it fired on (zeroed beforehand). */
  codes: WasmBuffer;
  gate: WasmBuffer;
  fires: WasmBuffer;
  /** [dSae], written: ∂sparsity/∂f per latent, when the architecture has a sparsity term. */
  sparsityGradient: WasmBuffer;
  /** [B, dSae] of scratch. */
  scratch: WasmBuffer;
  batch: number;
  dSae: number;
  sparsityCoefficient: number;
}

/** The fused step's buffers for an architecture that changes the reconstruction terms. */
export interface FusedReconstructionInput {
  kernels: KernelWorkspace["kernels"];
  /** [B, dSae] codes and [B, dIn] inputs, read. */
  codes: WasmBuffer;
  x: WasmBuffer;
  W_dec: WasmBuffer;
  b_dec: WasmBuffer;
  /** Written: 2e/B of the whole dictionary [B, dIn], and the gradients of all the reconstruction terms. */
  error: WasmBuffer;
  dW_dec: WasmBuffer;
  /** Σ_b of the reconstruction terms' ∂/∂x̂, [dIn] (b_dec through the decoder). */
  db_dec: WasmBuffer;
  /** ∂/∂pre of the reconstruction terms [B, dSae] (the gate applied). */
  dCodes: WasmBuffer;
  batch: number;
}

export interface FusedReconstruction {
  /** Σ||e||² of the whole dictionary. */
  squaredError: number;
  /** As Reconstruction.penalty. */
  penalty: number;
  /** Σ_b e / B of the whole dictionary [dIn]. */
  meanError: Float32Array;
}

/** An architecture's part of the fused step, with whatever buffers of its own it allocated. */
export interface FusedArchitecture {
  /** From pre: codes, gate and fires; returns the sparsity term and the smallest kept code (Infinity when not tracked). */
  encode(input: FusedCodesInput): { sparsity: number; minKept: number };
  /** Present when the architecture changes the reconstruction terms (otherwise fused-step.ts' own). */
  reconstruct?(input: FusedReconstructionInput): FusedReconstruction;
}

/** A sparsity aimed at a known one (the planted benchmark knows the truth). */
export interface SparsityTarget {
  /** Active features per input. */
  meanL0: number;
  /** Mean firing probability of one feature. */
  firingRate: number;
}

/** The sparsity settings of an architecture: its config without the shared settings and name. */
export type SparsityOf<C> = Partial<Omit<C, keyof CommonSaeConfig | "architecture">>;

export interface SaeArchitectureModule<C extends CommonSaeConfig & { architecture: string } = CommonSaeConfig & { architecture: string }> {
  name: C["architecture"];
  /** One sentence for the README, the page and the cfg.json reader. */
  summary: string;
  /** The inference nonlinearity from the pre-activation to the codes (cfg.json's activation_fn). */
  inference: InferenceFunction;
  /** Fills in the architecture's own defaults (the shared ones are filled already). */
  withDefaults(config: C): C;
  /** The first bad architecture setting as one sentence, or null. */
  checkSparsity(config: C): string | null;

  /** Codes above this count as active (L0, firing rates, dead latents). */
  activeAbove: number;
  /** Inactive codes are exactly 0 (so that L0 counts every code the reconstruction uses). */
  exactZeros: boolean;
  /** Training keeps decoder rows at unit norm. */
  unitNormDecoder: boolean;
  /** At most a few codes per input are nonzero, so the fused step's products can skip the zeros. */
  sparseCodes: boolean;
  /** The JumpReLU threshold is estimated in training from each step's smallest kept code. */
  tracksThreshold: boolean;

  /** The sparsity coefficient before its warm-up (0 when sparsity is a count). */
  sparsityCoefficient(config: C): number;
  /** AuxK's settings, or null when the architecture does not use it. */
  auxK(config: C): AuxKConfig | null;
  /** The step's codes on tfjs (inside tf.tidy). */
  trainingCodes(tf: TF, config: C, input: CodesInput): TrainingCodes;
  /** Reconstruction terms that differ from Σ||x̂ − x||²/B of the whole dictionary (inside tf.tidy). */
  reconstruct?(tf: TF, config: C, input: ReconstructionInput): Reconstruction;
  /** The architecture's part of the fused wasm step. */
  fused(workspace: KernelWorkspace, config: C, layout: ParameterLayout): FusedArchitecture;

  /** The architecture's own cfg.json keys (SAELens' names where one exists). */
  cfgFields(config: C): Record<string, number | readonly number[]>;
  /** The build's sweep: two sparsity settings, the sparser first (the reduced grid's). */
  sweepSettings: readonly [SparsityOf<C>, SparsityOf<C>];
  /** A setting made to fit a dictionary of dSae latents (a k no larger than dSae). */
  fitSparsity(setting: SparsityOf<C>, dSae: number): SparsityOf<C>;
  /** The setting in an SAE id, e.g. "k4", "lambda2". */
  sparsityTag(setting: SparsityOf<C>): string;
  /** The live trainer's one sparsity box: what it means, its range, and the settings it gives. */
  live: {
    meaning: string;
    rule(dSae: number): Omit<NumberRule, "label">;
    /** A value the range allows but the architecture does not, as a sentence; null when fine. */
    refuse?(value: number): string | null;
    sparsity(value: number): SparsityOf<C>;
  };
  /** The setting aimed at a known sparsity. */
  targeted(target: SparsityTarget, dSae: number): SparsityOf<C>;
}
