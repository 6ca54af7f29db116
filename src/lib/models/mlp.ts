// The multi-layer perceptrons the site studies. Layer names are part of the contract: analyses
// look layers up by name (dense_i = pre-activation, relu_i = post-activation, logits = output).
import type { SymbolicTensor } from "@tensorflow/tfjs";
import { mulberry32 } from "../random.js";
import type { LayersModel, TF } from "../tf-types.js";
import { LOGITS_LAYER } from "./describe-model.js";

export { activationLayerNames, describeModel, LOGITS_LAYER } from "./describe-model.js";
export type { LayerDescription, LayerKind, ModelDescription } from "./describe-model.js";

export interface MlpSpec {
  /** Length of the flat input vector (784 for MNIST). */
  inputSize: number;
  /** Units of each hidden layer, input side first, e.g. [32, 16]. */
  hidden: number[];
  classes: number;
  /** Seeds the weight initialization: the same spec always gives the same initial weights. */
  seed: number;
}

/**
 * A per-layer initializer seed derived from the model seed and the layer's 1-based position, so
 * that layers do not share random streams and adding a layer does not reseed the earlier ones.
 */
export function layerSeed(seed: number, layerIndex: number): number {
  const random = mulberry32((seed >>> 0) ^ Math.imul(layerIndex + 1, 0x9e3779b1));
  return Math.floor(random() * 2 ** 31);
}

function checkSpec(spec: MlpSpec): void {
  const positiveInteger = (value: unknown) => typeof value === "number" && Number.isInteger(value) && value > 0;
  if (!positiveInteger(spec.inputSize)) throw new Error(`buildMlp: spec.inputSize must be a positive integer, got ${spec.inputSize}`);
  if (!Array.isArray(spec.hidden) || !spec.hidden.every(positiveInteger)) {
    throw new Error(`buildMlp: spec.hidden must be a list of positive integers, got ${JSON.stringify(spec.hidden)}`);
  }
  if (!positiveInteger(spec.classes) || spec.classes < 2) throw new Error(`buildMlp: spec.classes must be an integer >= 2, got ${spec.classes}`);
  if (!Number.isInteger(spec.seed)) throw new Error(`buildMlp: spec.seed must be an integer, got ${spec.seed}`);
}

/** "mlp_784_32_16_10" */
export function mlpName(spec: MlpSpec): string {
  return ["mlp", spec.inputSize, ...spec.hidden, spec.classes].join("_");
}

/**
 * input [inputSize] -> (dense_i linear -> relu_i) per hidden layer -> logits (linear).
 * Hidden kernels: He normal (suited to ReLU); logits kernel: Glorot uniform; biases: zeros.
 * Softmax is left to the loss, so `logits` outputs raw scores.
 */
export function buildMlp(tf: TF, spec: MlpSpec): LayersModel {
  checkSpec(spec);
  const input = tf.input({ shape: [spec.inputSize], name: "input" });
  let x: SymbolicTensor = input;
  spec.hidden.forEach((units, i) => {
    const index = i + 1;
    x = tf.layers
      .dense({
        units,
        name: `dense_${index}`,
        kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(spec.seed, index) }),
        biasInitializer: "zeros",
      })
      .apply(x) as SymbolicTensor;
    x = tf.layers.activation({ activation: "relu", name: `relu_${index}` }).apply(x) as SymbolicTensor;
  });
  const logits = tf.layers
    .dense({
      units: spec.classes,
      name: LOGITS_LAYER,
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(spec.seed, spec.hidden.length + 1) }),
      biasInitializer: "zeros",
    })
    .apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: mlpName(spec) });
}
