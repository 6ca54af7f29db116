// A network's layers as tfjs operations on the backend the caller chose: weights uploaded once,
// then forward passes over any contiguous range of layers. Every forward pass, intervention and
// gradient in the project goes through `applyLayers`, so they all compute the same network.
// Callers own tidy/dispose of the tensors these functions return.
import type { TF, Tensor } from "../tf-types.js";
import { activations, inputSize, validateNetwork, type ActivationInfo, type Network, type NetworkLayer } from "./network.js";

type Tensor4D = import("@tensorflow/tfjs").Tensor4D;
type Tensor2D = import("@tensorflow/tfjs").Tensor2D;

/** One layer's weights on the backend (layers without weights hold none). */
interface UploadedWeights {
  kernel?: Tensor;
  bias?: Tensor;
  gamma?: Tensor;
  beta?: Tensor;
}

export interface UploadedNetwork {
  network: Network;
  /** Activations in forward order (see network.ts). */
  activations: ActivationInfo[];
  weights: UploadedWeights[];
  dispose(): void;
}

/** Validates the network and uploads its weights to the current backend. */
export function uploadNetwork(tf: TF, network: Network): UploadedNetwork {
  validateNetwork(network);
  const weights = network.layers.map((layer): UploadedWeights => {
    switch (layer.kind) {
      case "dense":
        return { kernel: tf.tensor2d(layer.kernel, [layer.inputSize, layer.units]), bias: tf.tensor1d(layer.bias) };
      case "conv2d":
        return { kernel: tf.tensor4d(layer.kernel, [...layer.kernelSize, layer.inChannels, layer.filters]), bias: tf.tensor1d(layer.bias) };
      case "layernorm":
        return { gamma: tf.tensor1d(layer.gamma), beta: tf.tensor1d(layer.beta) };
      default:
        return {};
    }
  });
  return {
    network,
    activations: activations(network),
    weights,
    dispose: () => tf.dispose(weights.flatMap((w) => Object.values(w) as Tensor[])),
  };
}

function applyLayer(tf: TF, layer: NetworkLayer, weights: UploadedWeights, x: Tensor): Tensor {
  switch (layer.kind) {
    case "dense":
      return tf.add(tf.matMul(x as Tensor2D, weights.kernel as Tensor2D), weights.bias!);
    case "conv2d":
      return tf.add(tf.conv2d(x as Tensor4D, weights.kernel as Tensor4D, layer.strides, layer.padding), weights.bias!);
    case "relu":
      return tf.relu(x);
    case "layernorm": {
      // As tfjs-layers computes it: biased variance over the last axis, epsilon inside the sqrt.
      const axis = x.rank - 1;
      const { mean, variance } = tf.moments(x, axis, true);
      const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, layer.epsilon)));
      return tf.add(tf.mul(normalized, weights.gamma!), weights.beta!);
    }
    case "rescale":
      return tf.add(tf.mul(x, layer.scale), layer.offset);
    case "maxpool":
      return tf.maxPool(x as Tensor4D, layer.poolSize, layer.strides, layer.padding);
    case "flatten":
      return tf.reshape(x, [x.shape[0], -1]);
    case "reshape":
      return tf.reshape(x, [x.shape[0], ...layer.shape]);
    case "dropout":
      return x;
  }
}

/**
 * Runs layers[from .. to] (inclusive, 0-based) on `x`, a batch shaped like layer `from`'s input.
 * `onOutput` sees each layer's output (for recording activations along the way).
 */
export function applyLayers(tf: TF, model: UploadedNetwork, x: Tensor, from: number, to: number, onOutput?: (index: number, output: Tensor) => void): Tensor {
  let value = x;
  for (let index = from; index <= to; index++) {
    value = applyLayer(tf, model.network.layers[index], model.weights[index], value);
    onOutput?.(index, value);
  }
  return value;
}

/** The position of the layer producing activation `name`, with an error listing the names. */
export function layerIndexOf(model: UploadedNetwork, name: string): number {
  const found = model.activations.find((a) => a.name === name);
  if (!found) throw new Error(`unknown activation ${JSON.stringify(name)}: ${model.network.name} has [${model.activations.map((a) => a.name).join(", ")}]`);
  return found.layerIndex;
}

/** Logits from the activation `name` (a batch of that activation's shape). */
export function forwardFrom(tf: TF, model: UploadedNetwork, name: string, activation: Tensor): Tensor2D {
  return applyLayers(tf, model, activation, layerIndexOf(model, name) + 1, model.network.layers.length - 1) as Tensor2D;
}

/** The activation `name` from a batch of flat inputs [rows, inputSize]. */
export function forwardTo(tf: TF, model: UploadedNetwork, input: Tensor2D, name: string): Tensor {
  return applyLayers(tf, model, reshapeInput(tf, model, input), 0, layerIndexOf(model, name));
}

/** Flat rows [rows, inputSize] in the network's own input shape. */
export function reshapeInput(tf: TF, model: UploadedNetwork, input: Tensor2D): Tensor {
  const shape = model.network.inputShape;
  return shape.length === 1 ? input : tf.reshape(input, [input.shape[0], ...shape]);
}

export type InputArray = Float32Array | Uint8Array;

/** Uint8 pixels default to /255 so that they land in [0, 1]; floats are taken as they are. */
export function defaultInputScale(inputs: InputArray): number {
  return inputs instanceof Uint8Array ? 1 / 255 : 1;
}

/** Checks that `inputs` holds `count` rows of the network's input size. */
export function checkInputs(network: Network, inputs: InputArray, count: number, what: string): void {
  if (!(inputs instanceof Float32Array || inputs instanceof Uint8Array)) {
    throw new Error(`${what}: inputs must be a Float32Array or Uint8Array, found ${Object.prototype.toString.call(inputs)}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error(`${what}: count must be a positive integer, found ${count}`);
  const size = inputSize(network);
  if (inputs.length !== count * size) {
    throw new Error(`${what}: expected count × inputSize = ${count} × ${size} = ${count * size} input values, found ${inputs.length}`);
  }
}

/** Rows [start, start + rows) of the inputs as a scaled [rows, inputSize] float tensor. */
export function inputRows(tf: TF, inputs: InputArray, start: number, rows: number, size: number, scale: number): Tensor2D {
  const slice = inputs.subarray(start * size, (start + rows) * size);
  const values = new Float32Array(slice.length);
  for (let i = 0; i < slice.length; i++) values[i] = slice[i] * scale;
  return tf.tensor2d(values, [rows, size], "float32");
}
