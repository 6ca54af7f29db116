// The download of a trained SAE: its weights as safetensors under SAELens' tensor names, and a
// cfg.json that says how to use them (SAELens' key names where one exists). In Python:
//   w = safetensors.numpy.load_file("sae.safetensors"); cfg = json.load(open("cfg.json"))
//   pre = (x * cfg["input_scale"] - w["b_dec"]) @ w["W_enc"] + w["b_enc"]
//   f = activation(pre)  # cfg["activation_fn"]; see encode.ts
//   x_hat = (f @ w["W_dec"] + w["b_dec"]) / cfg["input_scale"]
import type { SaeArchitecture, SaeConfig } from "./config.js";
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from "./safetensors.js";
import { checkSaeWeights, type SaeWeights } from "./weights.js";

/** How codes come from the pre-activation, by architecture (BatchTopK is used as a JumpReLU, as SAELens saves it). */
export const ACTIVATION_FN: Record<SaeArchitecture, "relu" | "sigmoid" | "topk" | "jumprelu"> = { l1: "relu", kl: "sigmoid", topk: "topk", batchtopk: "jumprelu" };

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
  activation_fn: (typeof ACTIVATION_FN)[SaeArchitecture];
  d_in: number;
  d_sae: number;
  /** topk and batchtopk: active latents per input (batchtopk: on average, in training). */
  k?: number;
  l1_coefficient?: number;
  rho?: number;
  beta?: number;
  aux_k?: number;
  aux_coefficient?: number;
  /** b_dec is subtracted from the (scaled) input before encoding. */
  apply_b_dec_to_input: true;
  normalize_activations: SaeConfig["inputNormalization"];
  /** Multiply activations by this before encoding; divide reconstructions by it. */
  input_scale: number;
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

/** The weights as safetensors bytes: W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec, and threshold for batchtopk. */
export function saeSafetensors(weights: SaeWeights): Uint8Array {
  checkSaeWeights(weights);
  const { dIn, dSae } = weights;
  const tensors: Record<string, SafetensorsTensor> = {
    W_enc: { shape: [dIn, dSae], data: weights.W_enc },
    b_enc: { shape: [dSae], data: weights.b_enc },
    W_dec: { shape: [dSae, dIn], data: weights.W_dec },
    b_dec: { shape: [dIn], data: weights.b_dec },
  };
  if (weights.threshold) tensors.threshold = { shape: [dSae], data: weights.threshold };
  return encodeSafetensors(tensors, { architecture: weights.architecture, input_scale: String(weights.inputScale) });
}

export function cfgJson(config: SaeConfig, weights: SaeWeights, source: SaeSource): SaeCfgJson {
  const sparsity =
    config.architecture === "l1"
      ? { l1_coefficient: config.l1Coefficient }
      : config.architecture === "kl"
        ? { rho: config.rho, beta: config.beta }
        : { k: config.k, aux_k: config.kAux, aux_coefficient: config.auxCoefficient };
  return {
    architecture: config.architecture,
    activation_fn: ACTIVATION_FN[config.architecture],
    d_in: config.dIn,
    d_sae: config.dSae,
    ...sparsity,
    apply_b_dec_to_input: true,
    normalize_activations: config.inputNormalization,
    input_scale: weights.inputScale,
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

/** SaeWeights back from a safetensors file and its cfg.json (the shapes must agree). */
export function saeFromSafetensors(bytes: Uint8Array, cfg: SaeCfgJson, source = "SAE safetensors"): SaeWeights {
  const { tensors } = decodeSafetensors(bytes, source);
  const tensor = (name: string, shape: number[]) => {
    const found = tensors[name];
    if (!found) throw new Error(`${source}: expected a tensor "${name}", found only [${Object.keys(tensors).join(", ")}]`);
    if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${source}: expected "${name}" of shape [${shape}] (cfg.json), found [${found.shape}]`);
    }
    return found.data;
  };
  const { d_in: dIn, d_sae: dSae } = cfg;
  const weights: SaeWeights = {
    architecture: cfg.architecture,
    dIn,
    dSae,
    ...(cfg.architecture === "topk" ? { k: cfg.k } : {}),
    W_enc: tensor("W_enc", [dIn, dSae]),
    b_enc: tensor("b_enc", [dSae]),
    W_dec: tensor("W_dec", [dSae, dIn]),
    b_dec: tensor("b_dec", [dIn]),
    ...(cfg.architecture === "batchtopk" ? { threshold: tensor("threshold", [dSae]) } : {}),
    inputScale: cfg.input_scale,
  };
  checkSaeWeights(weights, source);
  return weights;
}
