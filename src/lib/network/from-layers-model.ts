// Reads a network from the tfjs layers format that the build exports (model.json + weights.bin),
// without tfjs: the topology's layer configs and the weight manifest are plain JSON, and the
// weights are float32 arrays laid out one after another. The same reader serves the final
// weights and every per-epoch snapshot (which stores weights under the manifest's names).
import { isPositiveInteger } from "../validate-input.js";
import { layerOutputShapes, validateNetwork, type Network, type NetworkLayer } from "./network.js";

/** Weights by the names the tfjs manifest gives them, e.g. "dense_1/kernel". */
export type NamedWeights = Map<string, Float32Array>;

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface LayerJson {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown[];
}

/** The subset of model.json this reader relies on. */
export interface LayersModelJson {
  modelTopology: { class_name?: string; config?: { name?: string; layers?: LayerJson[] } | LayerJson[] };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function asLayersModelJson(json: unknown, source: string): LayersModelJson {
  const candidate = json as Partial<LayersModelJson> | null;
  if (candidate === null || typeof candidate !== "object" || typeof candidate.modelTopology !== "object" || !Array.isArray(candidate.weightsManifest)) {
    throw new Error(`${source}: expected a tfjs layers model.json with "modelTopology" and "weightsManifest"`);
  }
  return candidate as LayersModelJson;
}

/** The weight specs in manifest order (the order of their bytes in weights.bin). */
export function weightSpecs(modelJson: unknown, source = "model.json"): WeightSpec[] {
  return asLayersModelJson(modelJson, source).weightsManifest.flatMap((group) => group.weights);
}

/** Splits weights.bin into named float32 arrays, checking the byte count against the manifest. */
export function readWeightsBin(modelJson: unknown, weightsBin: ArrayBuffer, source = "weights.bin"): NamedWeights {
  const specs = weightSpecs(modelJson, source);
  const expected = specs.reduce((sum, spec) => sum + 4 * product(spec.shape), 0);
  if (weightsBin.byteLength !== expected) {
    throw new Error(`${source}: holds ${weightsBin.byteLength} bytes, but model.json's manifest describes ${expected} (${specs.length} float32 arrays)`);
  }
  const weights: NamedWeights = new Map();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== "float32") throw new Error(`${source}: weight "${spec.name}" is ${spec.dtype}; only float32 weights are supported`);
    const length = product(spec.shape);
    // A copy: the buffer may not be 4-byte aligned at `offset`, and the network must not alias it.
    weights.set(spec.name, new Float32Array(weightsBin.slice(offset, offset + 4 * length)));
    offset += 4 * length;
  }
  return weights;
}

function layerList(modelJson: LayersModelJson, source: string): { name: string; layers: LayerJson[] } {
  const topology = modelJson.modelTopology;
  const config = topology.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) throw new Error(`${source}: modelTopology.config has no layer list`);
  const name = !Array.isArray(config) && typeof config?.name === "string" ? config.name : "model";
  return { name, layers };
}

const pair = (value: unknown, what: string): [number, number] => {
  const list = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(list) || list.length !== 2 || !list.every(isPositiveInteger)) {
    throw new Error(`${what} must be a positive integer or a pair of them, found ${JSON.stringify(value)}`);
  }
  return [list[0], list[1]];
};

const padding = (value: unknown, what: string): "valid" | "same" => {
  if (value !== "valid" && value !== "same") throw new Error(`${what} must be "valid" or "same", found ${JSON.stringify(value)}`);
  return value;
};

/** Reads the weight `name/part`, checking its shape. */
function weight(weights: NamedWeights, layer: string, part: string, shape: number[], source: string): Float32Array {
  const name = `${layer}/${part}`;
  const values = weights.get(name);
  if (!values) throw new Error(`${source}: no weight "${name}" (have ${[...weights.keys()].join(", ") || "none"})`);
  if (values.length !== product(shape)) {
    throw new Error(`${source}: weight "${name}" must hold ${shape.join(" × ")} = ${product(shape)} values, found ${values.length}`);
  }
  return values;
}

/** A layer's fused activation ("linear" or "relu") becomes a separate ReLU layer. */
function fusedActivation(config: Record<string, unknown>, name: string, where: string): NetworkLayer[] {
  const activation = config.activation ?? "linear";
  if (activation === "linear") return [];
  if (activation === "relu") return [{ kind: "relu", name: `${name}_relu` }];
  throw new Error(`${where}: activation ${JSON.stringify(activation)} is not supported (only linear and relu)`);
}

/**
 * The network described by a tfjs layers model.json, with weights from `weights` (the final
 * weights.bin, or one epoch of a snapshot file). Supports a chain of Dense, Conv2D, ReLU,
 * LayerNormalization, Rescaling, Dropout, MaxPooling2D, Flatten and Reshape layers.
 */
export function networkFromLayersModel(modelJson: unknown, weights: NamedWeights, source = "model.json"): Network {
  const json = asLayersModelJson(modelJson, source);
  const { name, layers: layerJson } = layerList(json, source);
  let inputShape: number[] | null = null;
  const layers: NetworkLayer[] = [];
  let shape: number[] = [];
  let previous: string | null = null;
  for (const entry of layerJson) {
    const config = entry.config ?? {};
    const layerName = String(entry.name ?? config.name);
    const where = `${source}: layer "${layerName}" (${entry.class_name})`;
    // The reader supports chains only: each layer must take the previous layer's output.
    const inbound = entry.inbound_nodes?.[0] as unknown[][] | undefined;
    if (previous !== null && inbound !== undefined && (inbound.length !== 1 || inbound[0]?.[0] !== previous)) {
      throw new Error(`${where}: only a chain of layers is supported; this layer does not take "${previous}" as its only input`);
    }
    previous = layerName;
    const fromConfig = config.batch_input_shape ?? config.batchInputShape;
    if (entry.class_name === "InputLayer" || (inputShape === null && Array.isArray(fromConfig))) {
      inputShape = (fromConfig as (number | null)[]).slice(1) as number[];
      shape = inputShape;
      if (entry.class_name === "InputLayer") continue;
    }
    if (inputShape === null) throw new Error(`${where}: the model does not state its input shape before this layer`);
    layers.push(...readLayer(entry.class_name, layerName, config, shape, weights, where));
    shape = layerOutputShapes(inputShape, layers, source).at(-1) ?? inputShape;
  }
  if (inputShape === null) throw new Error(`${source}: the model has no layers`);
  const network: Network = { name, inputShape, layers };
  validateNetwork(network, source);
  return network;
}

function readLayer(className: string, name: string, config: Record<string, unknown>, input: number[], weights: NamedWeights, where: string): NetworkLayer[] {
  switch (className) {
    case "Dense": {
      if (input.length !== 1) throw new Error(`${where}: a dense layer needs a flat input, found [${input.join(", ")}]`);
      const units = Number(config.units);
      const useBias = config.use_bias !== false;
      const kernel = weight(weights, name, "kernel", [input[0], units], where);
      const bias = useBias ? weight(weights, name, "bias", [units], where) : new Float32Array(units);
      return [{ kind: "dense", name, inputSize: input[0], units, kernel, bias }, ...fusedActivation(config, name, where)];
    }
    case "Conv2D": {
      if (config.data_format !== undefined && config.data_format !== "channels_last") throw new Error(`${where}: only channels_last is supported`);
      const dilation = pair(config.dilation_rate ?? 1, `${where}: dilation_rate`);
      if (dilation[0] !== 1 || dilation[1] !== 1) throw new Error(`${where}: dilated convolutions are not supported`);
      const kernelSize = pair(config.kernel_size, `${where}: kernel_size`);
      const filters = Number(config.filters);
      const inChannels = input[2];
      const kernel = weight(weights, name, "kernel", [...kernelSize, inChannels, filters], where);
      const bias = config.use_bias !== false ? weight(weights, name, "bias", [filters], where) : new Float32Array(filters);
      const layer: NetworkLayer = {
        kind: "conv2d",
        name,
        kernelSize,
        strides: pair(config.strides ?? 1, `${where}: strides`),
        padding: padding(config.padding ?? "valid", `${where}: padding`),
        inChannels,
        filters,
        kernel,
        bias,
      };
      return [layer, ...fusedActivation(config, name, where)];
    }
    case "Activation":
      if (config.activation !== "relu") throw new Error(`${where}: activation ${JSON.stringify(config.activation)} is not supported (only relu)`);
      return [{ kind: "relu", name }];
    case "ReLU":
      if (config.max_value != null) throw new Error(`${where}: a capped ReLU is not supported`);
      return [{ kind: "relu", name }];
    case "LayerNormalization": {
      const axis = config.axis;
      const lastAxis = Array.isArray(axis)
        ? axis.length === 1 && (axis[0] === -1 || axis[0] === input.length)
        : axis === -1 || axis === input.length || axis === undefined;
      if (!lastAxis) throw new Error(`${where}: only normalization over the last axis is supported, found axis ${JSON.stringify(axis)}`);
      const size = input[input.length - 1];
      const gamma = config.scale !== false ? weight(weights, name, "gamma", [size], where) : new Float32Array(size).fill(1);
      const beta = config.center !== false ? weight(weights, name, "beta", [size], where) : new Float32Array(size);
      return [{ kind: "layernorm", name, size, epsilon: Number(config.epsilon ?? 1e-3), gamma, beta }];
    }
    case "Rescaling":
      return [{ kind: "rescale", name, scale: Number(config.scale), offset: Number(config.offset ?? 0) }];
    case "Dropout":
      return [{ kind: "dropout", name, rate: Number(config.rate) }];
    case "MaxPooling2D": {
      const poolSize = pair(config.pool_size ?? 2, `${where}: pool_size`);
      return [
        {
          kind: "maxpool",
          name,
          poolSize,
          strides: pair(config.strides ?? poolSize, `${where}: strides`),
          padding: padding(config.padding ?? "valid", `${where}: padding`),
        },
      ];
    }
    case "Flatten":
      return [{ kind: "flatten", name }];
    case "Reshape": {
      const target = config.target_shape ?? config.targetShape;
      if (!Array.isArray(target) || !target.every(isPositiveInteger)) {
        throw new Error(`${where}: target_shape must be a list of positive integers, found ${JSON.stringify(target)}`);
      }
      return [{ kind: "reshape", name, shape: target as number[] }];
    }
    default:
      throw new Error(`${where}: layer type ${className} is not supported`);
  }
}
