// A plain, JSON-serializable description of a classifier's layer stack, and the one builder that
// turns it into a tfjs model. Every model the site trains (plain MLP, MLPs with standardization,
// LayerNorm or dropout, CNN) goes through here, so all are named, initialized and exported alike:
// they take flat [inputSize] pixels in [0, 1] and end in a dense layer named "logits".
import type { SymbolicTensor } from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { TF, LayersModel } from "../tf-types.js";
import { LOGITS } from "../network/network.js";
import { isPositiveInteger } from "../validate-input.js";

export type LayerSpec =
  /** (x - mean) / std with the scalar pixel statistics of the training set (BuildOptions.inputStats). */
  | { type: "standardize" }
  /** E.g. [28, 28, 1] before a conv2d, so that every model still takes flat pixels. */
  | { type: "reshape"; shape: number[] }
  /** Linear; follow it with a relu for a hidden layer. */
  | { type: "dense"; units: number }
  | { type: "relu" }
  /** Over the last axis, with a learned scale and shift (tfjs default epsilon 1e-3). */
  | { type: "layernorm" }
  /** Identity at inference; the trainer draws a fresh mask every batch. */
  | { type: "dropout"; rate: number }
  /** Stride 1, padding "valid", linear. */
  | { type: "conv2d"; filters: number; kernelSize: number }
  /** Stride = size, padding "valid". */
  | { type: "maxpool"; size: number }
  | { type: "flatten" };

export type LayerType = LayerSpec["type"];

export interface ArchitectureSpec {
  /** The layers between the input and the logits, input side first. */
  layers: LayerSpec[];
  /** Seeds the weight initialization: the same spec always gives the same initial weights. */
  seed: number;
}

/** Scalar statistics of the training pixels, in the [0, 1] scale the model takes. */
export interface InputStats {
  mean: number;
  std: number;
}

export interface BuildOptions {
  /** Length of the flat input vector (784 for MNIST). */
  inputSize: number;
  classes: number;
  /** Required when the spec has a standardize layer. */
  inputStats?: InputStats;
}

/**
 * A per-layer initializer seed derived from the model seed and the layer's 1-based rank among the
 * weighted layers (dense and conv), so that layers do not share random streams and layers without
 * weights (standardize, layernorm, dropout, ...) do not reseed the others.
 */
export function layerSeed(seed: number, layerIndex: number): number {
  return deriveSeed(seed, layerIndex);
}

const NAME_PREFIX: Record<LayerType, string> = {
  standardize: "standardize",
  reshape: "reshape",
  dense: "dense",
  relu: "relu",
  layernorm: "layernorm",
  dropout: "dropout",
  conv2d: "conv",
  maxpool: "pool",
  flatten: "flatten",
};

/** Types whose names always carry their 1-based occurrence; the others only when repeated. */
const ALWAYS_NUMBERED = new Set<LayerType>(["dense", "relu", "layernorm", "dropout", "conv2d", "maxpool"]);

/** dense_1, relu_1, dense_2, ...; standardize, reshape and flatten get a suffix only if repeated. */
function layerNames(layers: LayerSpec[]): string[] {
  const totals = new Map<LayerType, number>();
  for (const layer of layers) totals.set(layer.type, (totals.get(layer.type) ?? 0) + 1);
  const seen = new Map<LayerType, number>();
  return layers.map((layer) => {
    const occurrence = (seen.get(layer.type) ?? 0) + 1;
    seen.set(layer.type, occurrence);
    const prefix = NAME_PREFIX[layer.type];
    return ALWAYS_NUMBERED.has(layer.type) || (totals.get(layer.type) ?? 0) > 1 ? `${prefix}_${occurrence}` : prefix;
  });
}

const formatShape = (shape: number[]) => `[${shape.join(", ")}]`;

/** The output shape of one layer given its input shape; throws on a bad field or a bad input. */
function outputShape(layer: LayerSpec, input: number[], where: string, options: BuildOptions): number[] {
  const needsImage = () => {
    if (input.length !== 3)
      throw new Error(`${where} needs a 3-D input [height, width, channels], but its input is ${formatShape(input)}; add a reshape before it`);
    return input as [number, number, number];
  };
  const positive = (field: string, value: unknown) => {
    if (!isPositiveInteger(value)) throw new Error(`${where}: ${field} must be a positive integer, got ${JSON.stringify(value)}`);
    return value;
  };
  switch (layer.type) {
    case "standardize": {
      const stats = options.inputStats;
      if (stats === undefined) throw new Error(`${where} needs options.inputStats (the training pixels' mean and std)`);
      if (!Number.isFinite(stats.mean) || !(Number.isFinite(stats.std) && stats.std > 0)) {
        throw new Error(`${where}: options.inputStats must have a finite mean and a finite std > 0, got ${JSON.stringify(stats)}`);
      }
      return input;
    }
    case "reshape": {
      if (!Array.isArray(layer.shape) || layer.shape.length === 0 || !layer.shape.every(isPositiveInteger)) {
        throw new Error(`${where}: shape must be a non-empty list of positive integers, got ${JSON.stringify(layer.shape)}`);
      }
      const from = input.reduce((a, b) => a * b, 1);
      const to = layer.shape.reduce((a, b) => a * b, 1);
      if (from !== to) throw new Error(`${where}: cannot reshape ${formatShape(input)} (${from} values) to ${formatShape(layer.shape)} (${to} values)`);
      return [...layer.shape];
    }
    case "dense":
      if (input.length !== 1) throw new Error(`${where} needs a 1-D input, but its input is ${formatShape(input)}; add a flatten before it`);
      return [positive("units", layer.units)];
    case "relu":
    case "layernorm":
      return input;
    case "dropout":
      if (!(typeof layer.rate === "number" && layer.rate >= 0 && layer.rate < 1)) {
        throw new Error(`${where}: rate must be a number in [0, 1), got ${JSON.stringify(layer.rate)}`);
      }
      return input;
    case "conv2d": {
      const [height, width] = needsImage();
      const filters = positive("filters", layer.filters);
      const kernel = positive("kernelSize", layer.kernelSize);
      if (kernel > height || kernel > width) throw new Error(`${where}: kernelSize ${kernel} is larger than its input ${formatShape(input)}`);
      return [height - kernel + 1, width - kernel + 1, filters];
    }
    case "maxpool": {
      const [height, width, channels] = needsImage();
      const size = positive("size", layer.size);
      if (size > height || size > width) throw new Error(`${where}: size ${size} is larger than its input ${formatShape(input)}`);
      return [Math.floor(height / size), Math.floor(width / size), channels];
    }
    case "flatten":
      if (input.length < 2) throw new Error(`${where}: its input ${formatShape(input)} is already flat`);
      return [input.reduce((a, b) => a * b, 1)];
    default: {
      const type: unknown = (layer as { type?: unknown }).type;
      throw new Error(`${where}: unknown layer type ${JSON.stringify(type)}; expected one of ${Object.keys(NAME_PREFIX).join(", ")}`);
    }
  }
}

/** Checks the spec and options; returns each layer's name. */
function checkArchitecture(spec: ArchitectureSpec, options: BuildOptions): string[] {
  if (!isPositiveInteger(options.inputSize)) throw new Error(`buildModel: options.inputSize must be a positive integer, got ${options.inputSize}`);
  if (!(isPositiveInteger(options.classes) && options.classes >= 2))
    throw new Error(`buildModel: options.classes must be an integer >= 2, got ${options.classes}`);
  if (!Number.isInteger(spec.seed)) throw new Error(`buildModel: spec.seed must be an integer, got ${spec.seed}`);
  if (!Array.isArray(spec.layers)) throw new Error(`buildModel: spec.layers must be a list of layers, got ${JSON.stringify(spec.layers)}`);
  let shape = [options.inputSize];
  spec.layers.forEach((layer: LayerSpec | null, i) => {
    if (typeof layer !== "object" || layer === null)
      throw new Error(`buildModel: spec.layers[${i}] must be a layer like {"type": "dense", "units": 32}, got ${JSON.stringify(layer)}`);
    shape = outputShape(layer, shape, `buildModel: spec.layers[${i}] (${String(layer.type)})`, options);
  });
  if (shape.length !== 1) {
    throw new Error(`buildModel: the last layer outputs ${formatShape(shape)} but the logits need a 1-D input; add a flatten at the end of spec.layers`);
  }
  return layerNames(spec.layers);
}

/** "mlp_784_32_16_10" for dense/relu stacks; otherwise every layer spelled out, e.g. "net_784_std_d32_ln_relu_10". */
function modelName(spec: ArchitectureSpec, options: BuildOptions): string {
  if (spec.layers.every((layer) => layer.type === "dense" || layer.type === "relu")) {
    const units = spec.layers.flatMap((layer) => (layer.type === "dense" ? [layer.units] : []));
    return ["mlp", options.inputSize, ...units, options.classes].join("_");
  }
  const token = (layer: LayerSpec): string => {
    switch (layer.type) {
      case "standardize":
        return "std";
      case "reshape":
        return `reshape${layer.shape.join("x")}`;
      case "dense":
        return `d${layer.units}`;
      case "relu":
        return "relu";
      case "layernorm":
        return "ln";
      case "dropout":
        return `drop${String(layer.rate).replace(".", "p")}`;
      case "conv2d":
        return `conv${layer.filters}k${layer.kernelSize}`;
      case "maxpool":
        return `pool${layer.size}`;
      case "flatten":
        return "flat";
    }
  };
  return ["net", options.inputSize, ...spec.layers.map(token), options.classes].join("_");
}

type Initializer = ReturnType<TF["initializers"]["heNormal"]>;

/** One tfjs layer for one spec entry; `kernelInit` gives the next weighted layer's initializer. */
function makeLayer(tf: TF, layer: LayerSpec, name: string, stats: InputStats | undefined, kernelInit: () => Initializer) {
  switch (layer.type) {
    case "standardize": {
      const { mean, std } = stats as InputStats;
      return tf.layers.rescaling({ scale: 1 / std, offset: -mean / std, name });
    }
    case "reshape":
      return tf.layers.reshape({ targetShape: layer.shape, name });
    case "dense":
      return tf.layers.dense({ units: layer.units, name, kernelInitializer: kernelInit(), biasInitializer: "zeros" });
    case "relu":
      return tf.layers.activation({ activation: "relu", name });
    case "layernorm":
      return tf.layers.layerNormalization({ axis: -1, name });
    case "dropout":
      return tf.layers.dropout({ rate: layer.rate, name });
    case "conv2d":
      return tf.layers.conv2d({
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: 1,
        padding: "valid",
        name,
        kernelInitializer: kernelInit(),
        biasInitializer: "zeros",
      });
    case "maxpool":
      return tf.layers.maxPooling2d({ poolSize: layer.size, strides: layer.size, padding: "valid", name });
    case "flatten":
      return tf.layers.flatten({ name });
  }
}

/**
 * input [inputSize] -> spec.layers -> logits (dense, linear; softmax is left to the loss).
 * Dense and conv kernels: He normal (suited to ReLU), seeded with layerSeed(seed, k) for the k-th
 * of them; logits kernel: Glorot uniform with layerSeed(seed, k + 1); biases: zeros. Standardize
 * is tfjs's built-in Rescaling layer, so the saved model.json takes raw [0, 1] pixels and loads
 * with plain tf.loadLayersModel.
 */
export function buildModel(tf: TF, spec: ArchitectureSpec, options: BuildOptions): LayersModel {
  const names = checkArchitecture(spec, options);
  let weighted = 0;
  const kernelInit = () => tf.initializers.heNormal({ seed: layerSeed(spec.seed, ++weighted) });
  const input = tf.input({ shape: [options.inputSize], name: "input" });
  let x: SymbolicTensor = input;
  spec.layers.forEach((layer, i) => {
    x = makeLayer(tf, layer, names[i], options.inputStats, kernelInit).apply(x) as SymbolicTensor;
  });
  const logits = tf.layers
    .dense({
      units: options.classes,
      name: LOGITS,
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(spec.seed, weighted + 1) }),
      biasInitializer: "zeros",
    })
    .apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: modelName(spec, options) });
}
