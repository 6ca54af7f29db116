// The MLP as tfjs tensors: weights uploaded once, and forward passes that start or stop at any
// named activation. Shared by the forward pass, the intervention runner and the gradients, so
// all three compute exactly the same network. Callers own tidy/dispose of what these return.
import type { TF, Tensor2D } from "../tf-types.js";
import { inputSizeOf, LOGITS_NAME, validateMlpWeights, type ActivationLocation, type MlpWeights } from "./weights.js";

type Tensor1D = import("@tensorflow/tfjs").Tensor1D;

export interface UploadedMlp {
  weights: MlpWeights;
  kernels: Tensor2D[];
  biases: Tensor1D[];
  dispose(): void;
}

/** Validates the weights and uploads every kernel and bias to the current backend. */
export function uploadMlp(tf: TF, weights: MlpWeights, source = "MLP weights"): UploadedMlp {
  validateMlpWeights(weights, source);
  const kernels = weights.layers.map((layer) => tf.tensor2d(layer.kernel, [layer.inputSize, layer.units], "float32"));
  const biases = weights.layers.map((layer) => tf.tensor1d(layer.bias, "float32"));
  return {
    weights,
    kernels,
    biases,
    dispose() {
      tf.dispose([...kernels, ...biases]);
    },
  };
}

/** Pre-activation of dense layer `index` (0-based): x · W + b, with W replaceable by `kernel`. */
export function denseLayer(tf: TF, model: UploadedMlp, index: number, x: Tensor2D, kernel: Tensor2D = model.kernels[index]): Tensor2D {
  return tf.add(tf.matMul(x, kernel), model.biases[index]);
}

/**
 * Logits from the input of dense layer `start` (0-based): for start = k this is relu_k's
 * activation (1-based naming), for start = 0 the network input. `firstKernel` replaces the
 * kernel of layer `start`, which is how interventions rescale units without touching activations.
 */
export function forwardFrom(tf: TF, model: UploadedMlp, start: number, input: Tensor2D, firstKernel: Tensor2D = model.kernels[start]): Tensor2D {
  const last = model.kernels.length - 1;
  let x = input;
  for (let index = start; index <= last; index++) {
    const pre = denseLayer(tf, model, index, x, index === start ? firstKernel : model.kernels[index]);
    x = index === last ? pre : tf.relu(pre);
  }
  return x;
}

/** The activation at `location`, from the network input. */
export function forwardTo(tf: TF, model: UploadedMlp, input: Tensor2D, location: ActivationLocation): Tensor2D {
  let x = input;
  for (let index = 0; index <= location.layerIndex; index++) {
    const pre = denseLayer(tf, model, index, x);
    if (index === location.layerIndex && location.kind !== "relu") return pre;
    x = tf.relu(pre);
  }
  return x;
}

/** Every named activation, in forward order (a plain object, so tf.tidy keeps its tensors). */
export function forwardAll(tf: TF, model: UploadedMlp, input: Tensor2D): Record<string, Tensor2D> {
  const out: Record<string, Tensor2D> = {};
  const last = model.kernels.length - 1;
  let x = input;
  for (let index = 0; index <= last; index++) {
    const pre = denseLayer(tf, model, index, x);
    if (index === last) {
      out[LOGITS_NAME] = pre;
    } else {
      x = tf.relu(pre);
      out[`dense_${index + 1}`] = pre;
      out[`relu_${index + 1}`] = x;
    }
  }
  return out;
}

export type InputArray = Float32Array | Uint8Array;

/** Uint8 pixels default to /255 so that they land in [0, 1]; floats are taken as they are. */
export function defaultInputScale(inputs: InputArray): number {
  return inputs instanceof Uint8Array ? 1 / 255 : 1;
}

/** Checks that `inputs` holds `count` rows of the network's input size. */
export function checkInputs(weights: MlpWeights, inputs: InputArray, count: number, what: string): void {
  if (!(inputs instanceof Float32Array || inputs instanceof Uint8Array)) {
    throw new Error(`${what}: inputs must be a Float32Array or Uint8Array, found ${Object.prototype.toString.call(inputs)}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error(`${what}: count must be a positive integer, found ${count}`);
  const inputSize = inputSizeOf(weights);
  if (inputs.length !== count * inputSize) {
    throw new Error(`${what}: expected count × inputSize = ${count} × ${inputSize} = ${count * inputSize} input values, found ${inputs.length}`);
  }
}

/** Rows [start, start + rows) of the inputs as a scaled [rows, inputSize] float tensor. */
export function inputTensor(tf: TF, inputs: InputArray, start: number, rows: number, inputSize: number, scale: number): Tensor2D {
  const slice = inputs.subarray(start * inputSize, (start + rows) * inputSize);
  const values = new Float32Array(slice.length);
  for (let i = 0; i < slice.length; i++) values[i] = slice[i] * scale;
  return tf.tensor2d(values, [rows, inputSize], "float32");
}
