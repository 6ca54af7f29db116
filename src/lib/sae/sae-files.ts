// The download of a trained SAE: its weights as safetensors under SAELens' tensor names, and a
// cfg.json that says how to use them (SAELens' key names where one exists). In Python:
//   w = safetensors.numpy.load_file("sae.safetensors"); cfg = json.load(open("cfg.json"))
//   z = x if "basis" not in cfg else (x - w["basis_mean"]) @ w["basis_transform"].T
//   pre = (z * cfg["input_scale"] - w["b_dec"]) @ w["W_enc"] + w["b_enc"]
//   f = activation(pre)  # cfg["activation_fn"]; see architectures/inference.ts
//   z_hat = (f @ w["W_dec"] + w["b_dec"]) / cfg["input_scale"]
//   x_hat = z_hat if "basis" not in cfg else z_hat @ w["basis_inverse"] + w["basis_mean"]
// An SAE trained on a PCA or ICA basis of the layer (basis.ts) carries the basis as three more
// tensors, so that x and x_hat are in the layer's own units either way.
import type { SaeArchitecture, SaeConfig } from "./config.js";
import { architecture } from "./architectures/index.js";
import { inferenceParameters, type InferenceFunction } from "./architectures/inference.js";
import { decodeSafetensors, encodeSafetensors, type SafetensorsFile, type SafetensorsTensor } from "./safetensors.js";
import { checkSaeWeights, type SaeWeights } from "./weights.js";
import { checkBasis, type FittedBasis } from "./basis.js";

/** What the SAE was trained on. */
export interface SaeSource {
  /** e.g. the model registry's name, "baseline-mlp" */
  model: string;
  /** the activation's name, e.g. "relu_1" */
  layer: string;
  [detail: string]: string | number | boolean;
}

export interface SaeCfgJson {
  architecture: SaeArchitecture;
  /** How codes come from the pre-activation (architectures/inference.ts; BatchTopK is used as a JumpReLU, as SAELens saves it). */
  activation_fn: InferenceFunction["name"];
  d_in: number;
  d_sae: number;
  /** The TopK family: active latents per input (BatchTopK's: on average, in training). */
  k?: number;
  l1_coefficient?: number;
  rho?: number;
  beta?: number;
  aux_k?: number;
  aux_coefficient?: number;
  /** Any other setting of the architecture, under the key its module's cfgFields gives it. */
  [setting: string]: unknown;
  /** b_dec is subtracted from the (scaled) input before encoding. */
  apply_b_dec_to_input: true;
  normalize_activations: SaeConfig["inputNormalization"];
  /** Multiply activations (in the basis, when there is one) by this before encoding; divide reconstructions by it. */
  input_scale: number;
  /** Present when the SAE reads a basis of the layer rather than its units; d_in is then the basis' width. */
  basis?: SaeBasisCfg;
  dtype: "float32";
  model_name: string;
  hook_name: string;
  source: SaeSource;
  training: {
    learning_rate: number;
    batch_size: number;
    steps: number;
    warmup_steps: number;
    l1_warmup_steps: number;
    dead_after_inputs: number;
    resample: SaeConfig["resample"];
    seed: number;
  };
}

export interface SaeBasisCfg {
  name: FittedBasis["name"];
  /** Width of the layer's activations. */
  d_layer: number;
  /** How the tensors basis_mean [d_layer], basis_transform and basis_inverse [d_in, d_layer] are applied. */
  apply: typeof BASIS_APPLY;
}

export const BASIS_APPLY = "z = (x - basis_mean) @ basis_transform.T; the SAE reads z; x_hat = z_hat @ basis_inverse + basis_mean" as const;

/**
 * The weights as safetensors bytes: W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec,
 * threshold for batchtopk, and basis_mean, basis_transform, basis_inverse for an SAE on a basis.
 */
export function saeSafetensors(weights: SaeWeights, basis: FittedBasis | null = null): Uint8Array {
  checkSaeWeights(weights);
  if (basis !== null) {
    checkBasis(basis);
    if (basis.dIn !== weights.dIn) throw new Error(`saeSafetensors: the SAE reads ${weights.dIn} values, the ${basis.name} basis gives ${basis.dIn}`);
  }
  const { dIn, dSae } = weights;
  const tensors: Record<string, SafetensorsTensor> = {
    W_enc: { shape: [dIn, dSae], data: weights.W_enc },
    b_enc: { shape: [dSae], data: weights.b_enc },
    W_dec: { shape: [dSae, dIn], data: weights.W_dec },
    b_dec: { shape: [dIn], data: weights.b_dec },
  };
  if (weights.threshold) tensors.threshold = { shape: [dSae], data: weights.threshold };
  if (basis !== null) {
    tensors.basis_mean = { shape: [basis.dLayer], data: basis.mean };
    tensors.basis_transform = { shape: [dIn, basis.dLayer], data: basis.transform };
    tensors.basis_inverse = { shape: [dIn, basis.dLayer], data: basis.inverse };
  }
  return encodeSafetensors(tensors, { architecture: weights.architecture, input_scale: String(weights.inputScale), ...(basis ? { basis: basis.name } : {}) });
}

export function cfgJson(config: SaeConfig, weights: SaeWeights, source: SaeSource, basis: FittedBasis | null = null): SaeCfgJson {
  const module = architecture(config.architecture);
  return {
    architecture: config.architecture,
    activation_fn: module.inference.name,
    d_in: config.dIn,
    d_sae: config.dSae,
    ...module.cfgFields(config),
    apply_b_dec_to_input: true,
    normalize_activations: config.inputNormalization,
    input_scale: weights.inputScale,
    ...(basis ? { basis: { name: basis.name, d_layer: basis.dLayer, apply: BASIS_APPLY } } : {}),
    dtype: "float32",
    model_name: source.model,
    hook_name: source.layer,
    source,
    training: {
      learning_rate: config.learningRate,
      batch_size: config.batchSize,
      steps: config.steps,
      warmup_steps: config.warmupSteps,
      l1_warmup_steps: config.l1WarmupSteps,
      dead_after_inputs: config.deadAfterInputs,
      resample: config.resample,
      seed: config.seed,
    },
  };
}

/** A tensor of the file with the shape cfg.json implies. */
function tensorOf({ tensors }: SafetensorsFile, name: string, shape: number[], source: string): Float32Array {
  const found = tensors[name];
  if (!found) throw new Error(`${source}: expected a tensor "${name}", found only [${Object.keys(tensors).join(", ")}]`);
  if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${source}: expected "${name}" of shape [${shape}] (cfg.json), found [${found.shape}]`);
  }
  return found.data;
}

/** SaeWeights back from a safetensors file and its cfg.json (the shapes must agree). */
export function saeFromSafetensors(bytes: Uint8Array, cfg: SaeCfgJson, source = "SAE safetensors"): SaeWeights {
  const file = decodeSafetensors(bytes, source);
  const tensor = (name: string, shape: number[]) => tensorOf(file, name, shape, source);
  const { d_in: dIn, d_sae: dSae } = cfg;
  const weights: SaeWeights = {
    architecture: cfg.architecture,
    dIn,
    dSae,
    ...inferenceParameters(architecture(cfg.architecture).inference, { k: cfg.k, threshold: () => tensor("threshold", [dSae]) }),
    W_enc: tensor("W_enc", [dIn, dSae]),
    b_enc: tensor("b_enc", [dSae]),
    W_dec: tensor("W_dec", [dSae, dIn]),
    b_dec: tensor("b_dec", [dIn]),
    inputScale: cfg.input_scale,
  };
  checkSaeWeights(weights, source);
  return weights;
}

/** The basis back from a safetensors file whose cfg.json names one; null when it names none. */
export function basisFromSafetensors(bytes: Uint8Array, cfg: SaeCfgJson, source = "SAE safetensors"): FittedBasis | null {
  if (cfg.basis === undefined) return null;
  const file = decodeSafetensors(bytes, source);
  const { d_in: dIn } = cfg;
  const dLayer = cfg.basis.d_layer;
  const basis: FittedBasis = {
    name: cfg.basis.name,
    dLayer,
    dIn,
    mean: tensorOf(file, "basis_mean", [dLayer], source),
    transform: tensorOf(file, "basis_transform", [dIn, dLayer], source),
    inverse: tensorOf(file, "basis_inverse", [dIn, dLayer], source),
  };
  checkBasis(basis, source);
  return basis;
}
