// A trained network as plain data: an ordered stack of typed layers with their weights as
// Float32Arrays. Every page, worker and analysis reads this one description, whatever the
// architecture; it is built from the exported tfjs layers model (see from-layers-model.ts) and
// runs on whichever tfjs backend the page chose (see tensor-network.ts).
//
// Activations are named after the layer that produces them ("dense_1", "relu_1", "conv_2",
// "logits"). Layers that only pass values on (dropout at inference, flatten, reshape) and the
// input standardization are not activations of their own.
import { isPositiveInteger } from "../validate-input.js";

/** y = x · kernel + bias; kernel is inputSize × units, row-major (kernel[i * units + j]). */
export interface DenseLayer {
  kind: "dense";
  name: string;
  inputSize: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** 2-D convolution, channels last; kernel is [height, width, inChannels, filters], row-major. */
export interface Conv2dLayer {
  kind: "conv2d";
  name: string;
  kernelSize: [number, number];
  strides: [number, number];
  padding: "valid" | "same";
  inChannels: number;
  filters: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** Normalizes each example over its last axis, then y = gamma · x̂ + beta. */
export interface LayerNormLayer {
  kind: "layernorm";
  name: string;
  size: number;
  epsilon: number;
  gamma: Float32Array;
  beta: Float32Array;
}

/** y = x · scale + offset: the input standardization, (x − mean) / std. */
export interface RescaleLayer {
  kind: "rescale";
  name: string;
  scale: number;
  offset: number;
}

export interface MaxPoolLayer {
  kind: "maxpool";
  name: string;
  poolSize: [number, number];
  strides: [number, number];
  padding: "valid" | "same";
}

export interface ReshapeLayer {
  kind: "reshape";
  name: string;
  /** Shape of one example after the layer. */
  shape: number[];
}

export type NetworkLayer =
  | DenseLayer
  | Conv2dLayer
  | LayerNormLayer
  | RescaleLayer
  | MaxPoolLayer
  | ReshapeLayer
  | { kind: "relu"; name: string }
  | { kind: "dropout"; name: string; rate: number }
  | { kind: "flatten"; name: string };

export type LayerKind = NetworkLayer["kind"];

export interface Network {
  /** The model's name, e.g. "mlp_784_32_16_10". */
  name: string;
  /** Shape of one input example, e.g. [784]. */
  inputShape: number[];
  layers: NetworkLayer[];
}

/** The output layer's name: analyses look the logits up by it. */
export const LOGITS = "logits";

/** Kinds whose output is not a new activation (identity at inference, or a relabelling). */
const PASS_THROUGH: ReadonlySet<LayerKind> = new Set<LayerKind>(["dropout", "flatten", "reshape", "rescale"]);

export interface ActivationInfo {
  name: string;
  kind: LayerKind;
  /** Position in network.layers of the layer producing it. */
  layerIndex: number;
  /** Shape of one example's activation, e.g. [32] or [26, 26, 8]. */
  shape: number[];
  /** The last axis: neurons of a dense layer, channels of a conv layer. */
  units: number;
  /** Values per example: the product of the shape. */
  size: number;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function convOutputSize(input: number, kernel: number, stride: number, padding: "valid" | "same"): number {
  return padding === "same" ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}

/** The output shape of `layer` for one example of shape `input`; throws if they do not fit. */
function outputShape(layer: NetworkLayer, input: number[], where: string): number[] {
  switch (layer.kind) {
    case "dense":
      if (input.length !== 1 || input[0] !== layer.inputSize) {
        throw new Error(`${where}: dense layer takes [${layer.inputSize}] inputs, found [${input.join(", ")}]`);
      }
      return [layer.units];
    case "conv2d":
    case "maxpool": {
      if (input.length !== 3) throw new Error(`${where}: ${layer.kind} takes [height, width, channels] inputs, found [${input.join(", ")}]`);
      const [kh, kw] = layer.kind === "conv2d" ? layer.kernelSize : layer.poolSize;
      if (layer.kind === "conv2d" && input[2] !== layer.inChannels) {
        throw new Error(`${where}: conv2d takes ${layer.inChannels} input channels, found ${input[2]}`);
      }
      const height = convOutputSize(input[0], kh, layer.strides[0], layer.padding);
      const width = convOutputSize(input[1], kw, layer.strides[1], layer.padding);
      if (height < 1 || width < 1) throw new Error(`${where}: a ${kh}×${kw} window does not fit a ${input[0]}×${input[1]} input`);
      return [height, width, layer.kind === "conv2d" ? layer.filters : input[2]];
    }
    case "layernorm":
      if (input[input.length - 1] !== layer.size) {
        throw new Error(`${where}: layernorm normalizes ${layer.size} values, found a last axis of ${input[input.length - 1]}`);
      }
      return input;
    case "flatten":
      return [product(input)];
    case "reshape":
      if (product(layer.shape) !== product(input)) {
        throw new Error(`${where}: cannot reshape [${input.join(", ")}] to [${layer.shape.join(", ")}]`);
      }
      return layer.shape;
    case "relu":
    case "dropout":
    case "rescale":
      return input;
  }
}

function checkArray(value: unknown, length: number, what: string): void {
  if (!(value instanceof Float32Array)) throw new Error(`${what} must be a Float32Array, found ${Object.prototype.toString.call(value)}`);
  if (value.length !== length) throw new Error(`${what} must hold ${length} values, found ${value.length}`);
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) throw new Error(`${what}[${i}] is ${value[i]}; weights must be finite`);
  }
}

function checkWeights(layer: NetworkLayer, where: string): void {
  switch (layer.kind) {
    case "dense":
      if (!isPositiveInteger(layer.inputSize) || !isPositiveInteger(layer.units)) {
        throw new Error(`${where}: inputSize and units must be positive integers, found ${layer.inputSize} and ${layer.units}`);
      }
      checkArray(layer.kernel, layer.inputSize * layer.units, `${where}: kernel (${layer.inputSize} × ${layer.units})`);
      checkArray(layer.bias, layer.units, `${where}: bias`);
      return;
    case "conv2d": {
      const [kh, kw] = layer.kernelSize;
      checkArray(layer.kernel, kh * kw * layer.inChannels * layer.filters, `${where}: kernel (${kh} × ${kw} × ${layer.inChannels} × ${layer.filters})`);
      checkArray(layer.bias, layer.filters, `${where}: bias`);
      return;
    }
    case "layernorm":
      if (!(layer.epsilon > 0)) throw new Error(`${where}: epsilon must be positive, found ${layer.epsilon}`);
      checkArray(layer.gamma, layer.size, `${where}: gamma`);
      checkArray(layer.beta, layer.size, `${where}: beta`);
      return;
    case "rescale":
      if (!Number.isFinite(layer.scale) || !Number.isFinite(layer.offset)) {
        throw new Error(`${where}: scale and offset must be finite, found ${layer.scale} and ${layer.offset}`);
      }
      return;
    case "dropout":
      if (!(layer.rate >= 0 && layer.rate < 1)) throw new Error(`${where}: rate must be in [0, 1), found ${layer.rate}`);
      return;
    default:
      return;
  }
}

/**
 * Checks a stack of layers on an input of shape `inputShape`: unique names, weights of the right
 * sizes and each layer fitting its input. Returns every layer's output shape (one example).
 */
export function layerOutputShapes(inputShape: number[], layers: NetworkLayer[], source = "network"): number[][] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every(isPositiveInteger)) {
    throw new Error(`${source}: inputShape must be a list of positive integers, found ${JSON.stringify(inputShape)}`);
  }
  const names = new Set<string>();
  const shapes: number[][] = [];
  let shape = inputShape;
  layers.forEach((layer, index) => {
    const where = `${source}: layer ${index + 1} ("${layer?.name}")`;
    if (typeof layer?.name !== "string" || layer.name === "") throw new Error(`${where}: every layer needs a name`);
    if (names.has(layer.name)) throw new Error(`${where}: the name is used twice`);
    names.add(layer.name);
    checkWeights(layer, where);
    shape = outputShape(layer, shape, where);
    shapes.push(shape);
  });
  return shapes;
}

/**
 * Checks the whole network: its layers (see layerOutputShapes) and a last layer named "logits"
 * that outputs one score per class. Returns every layer's output shape (one example), in order.
 */
export function validateNetwork(network: Network, source = "network"): number[][] {
  if (network === null || typeof network !== "object" || !Array.isArray(network.layers)) {
    throw new Error(`${source}: expected { name, inputShape, layers }, found ${network === null ? "null" : typeof network}`);
  }
  if (network.layers.length === 0) throw new Error(`${source}: expected at least one layer, found none`);
  const shapes = layerOutputShapes(network.inputShape, network.layers, source);
  const last = network.layers[network.layers.length - 1];
  if (last.kind !== "dense" || last.name !== LOGITS) {
    throw new Error(`${source}: the last layer must be a dense layer named "${LOGITS}", found ${last.kind} "${last.name}"`);
  }
  return shapes;
}

// Networks are immutable once loaded, so each is validated once however often it is asked about.
const validated = new WeakMap<Network, ActivationInfo[]>();

/** Every activation in forward order, with its shape. */
export function activations(network: Network): ActivationInfo[] {
  const known = validated.get(network);
  if (known) return known;
  const shapes = validateNetwork(network);
  const result: ActivationInfo[] = [];
  network.layers.forEach((layer, layerIndex) => {
    if (PASS_THROUGH.has(layer.kind)) return;
    const shape = shapes[layerIndex];
    result.push({ name: layer.name, kind: layer.kind, layerIndex, shape, units: shape[shape.length - 1], size: product(shape) });
  });
  validated.set(network, result);
  return result;
}

/** Activation names in forward order: e.g. ["dense_1", "relu_1", "dense_2", "relu_2", "logits"]. */
export function activationNames(network: Network): string[] {
  return activations(network).map((a) => a.name);
}

/** Looks an activation up by name, with an error that lists the names this network has. */
export function activationInfo(network: Network, name: string): ActivationInfo {
  const all = activations(network);
  const found = all.find((a) => a.name === name);
  if (!found) throw new Error(`unknown activation ${JSON.stringify(name)}: ${network.name} has [${all.map((a) => a.name).join(", ")}]`);
  return found;
}

/** The ReLU outputs: the hidden units whose death and selectivity the pages study. */
export function reluActivationNames(network: Network): string[] {
  return activations(network)
    .filter((a) => a.kind === "relu")
    .map((a) => a.name);
}

/** Every activation but the logits: what a reader can intervene on or attribute. */
export function hiddenActivationNames(network: Network): string[] {
  return activationNames(network).filter((name) => name !== LOGITS);
}

/** Number of classes: the logits' units. */
export function classCount(network: Network): number {
  const last = network.layers[network.layers.length - 1];
  return (last as DenseLayer).units;
}

/** Values per input example (784 for MNIST). */
export function inputSize(network: Network): number {
  return product(network.inputShape);
}

/**
 * Multiply-adds of one forward pass for one example (dense and conv layers; the rest is small):
 * what sizes the batches a page runs between yields to the browser.
 */
export function forwardCost(network: Network): number {
  const shapes = validateNetwork(network);
  return network.layers.reduce((sum, layer, i) => {
    if (layer.kind === "dense") return sum + layer.inputSize * layer.units;
    if (layer.kind === "conv2d") return sum + shapes[i][0] * shapes[i][1] * layer.kernelSize[0] * layer.kernelSize[1] * layer.inChannels * layer.filters;
    return sum;
  }, 0);
}
