// The nonlinearities that turn a trained SAE's pre-activation p into codes, by cfg.json's
// activation_fn; an architecture names the one it is used with after training (index.ts).
//   relu: ReLU(p)   sigmoid: sigmoid(p)   topk: ReLU(p) on the k largest of each input, 0 elsewhere
//   jumprelu: p where p > threshold_j, 0 elsewhere (SAELens saves BatchTopK SAEs this way)
import type { TF, Tensor } from "../../tf-types.js";
import { topKMask } from "./selection.js";

/** What an inference function needs besides the pre-activation, kept with the weights. */
export interface InferenceParameters {
  /** topk: active latents per input. */
  k?: number;
  /** jumprelu: [dSae] thresholds on the pre-activation. */
  threshold?: Float32Array;
}

/**
 * The parameters `fn` reads, from wherever they are kept: k from a config or cfg.json, the
 * threshold from a file's tensor or a training estimate (called only when needed).
 */
export function inferenceParameters(fn: InferenceFunction, source: { k?: number; threshold: () => Float32Array }): InferenceParameters {
  if (fn.needs === "k") return { k: source.k };
  if (fn.needs === "threshold") return { threshold: source.threshold() };
  return {};
}

export interface InferenceFunction {
  /** cfg.json's activation_fn. */
  name: "relu" | "sigmoid" | "topk" | "jumprelu";
  /** The weight field it reads: "k" or "threshold" (cfg.json key and safetensors tensor), or none. */
  needs: "k" | "threshold" | null;
  /** Codes of a batch's pre-activations [rows, dSae] on tfjs; `threshold` is the uploaded thresholds. */
  encode(tf: TF, pre: Tensor, parameters: { k?: number; threshold: Tensor | null }): Tensor;
  /** Codes of one input's pre-activations, in float64: the definition the tfjs path must match. */
  encodeReference(pre: Float64Array, parameters: InferenceParameters): Float64Array;
}

export const RELU: InferenceFunction = {
  name: "relu",
  needs: null,
  encode: (tf, pre) => tf.relu(pre),
  encodeReference: (pre) => pre.map((p) => Math.max(0, p)),
};

export const SIGMOID: InferenceFunction = {
  name: "sigmoid",
  needs: null,
  encode: (tf, pre) => tf.sigmoid(pre),
  encodeReference: (pre) => pre.map((p) => 1 / (1 + Math.exp(-p))),
};

export const TOPK: InferenceFunction = {
  name: "topk",
  needs: "k",
  encode: (tf, pre, { k }) =>
    tf.tidy(() => {
      const codes = tf.relu(pre);
      return tf.mul(codes, topKMask(tf, codes, k as number));
    }),
  encodeReference: (pre, { k }) => {
    const codes = pre.map((p) => Math.max(0, p));
    const kth = Float64Array.from(codes).sort().reverse()[(k as number) - 1];
    return codes.map((c) => (c > 0 && c >= kth ? c : 0));
  },
};

export const JUMP_RELU: InferenceFunction = {
  name: "jumprelu",
  needs: "threshold",
  encode: (tf, pre, { threshold }) => tf.tidy(() => tf.mul(pre, tf.step(tf.sub(pre, threshold as Tensor)))),
  encodeReference: (pre, { threshold }) => pre.map((p, j) => (p > (threshold as Float32Array)[j] ? p : 0)),
};

export const INFERENCE_FUNCTIONS: readonly InferenceFunction[] = [RELU, SIGMOID, TOPK, JUMP_RELU];
