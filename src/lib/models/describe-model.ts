// Turns a tfjs LayersModel into plain data (layer names, kinds, unit counts, shapes) once, so the
// analyses and components work from a description instead of from tfjs objects and any
// architecture (MLP, normalized MLP, CNN) goes through the same code.
import type { LayersModel } from "../tf-types.js";

/** Known kinds; other layers get their lower-cased tfjs class name. */
export type LayerKind =
  | "dense"
  | "relu"
  | "conv2d"
  | "pool"
  | "flatten"
  | "logits"
  | "layernorm"
  | "dropout"
  | "standardize"
  | "reshape"
  | (string & {});

export interface LayerDescription {
  name: string;
  kind: LayerKind;
  /** Dense: units; Conv2D: filters (channels); other layers: the last axis of their output. */
  units: number;
  /** Output shape of one example (batch axis dropped), e.g. [32] or [14, 14, 8]. */
  outputShape: number[];
}

export interface ModelDescription {
  /** Shape of one input example, e.g. [784]. */
  inputShape: number[];
  /** The model's layers in order, input layer excluded. */
  layers: LayerDescription[];
}

/** The name the model gives its output logits layer; analyses rely on it. */
export const LOGITS_LAYER = "logits";

/** Kinds that only rescale, reshape, subsample or regularize: their outputs are not new units. */
const PASS_THROUGH_KINDS = new Set<string>(["standardize", "flatten", "pool", "dropout", "reshape"]);

const KIND_BY_CLASS: Record<string, LayerKind> = {
  Dense: "dense",
  Conv2D: "conv2d",
  MaxPooling2D: "pool",
  AveragePooling2D: "pool",
  GlobalAveragePooling2D: "pool",
  GlobalMaxPooling2D: "pool",
  Flatten: "flatten",
  Dropout: "dropout",
  LayerNormalization: "layernorm",
  Reshape: "reshape",
  // buildModel's input standardization (x * scale + offset, both scalars).
  Rescaling: "standardize",
};

function exampleShape(shape: unknown, layerName: string): number[] {
  // Layers with several outputs report a list of shapes; the first one describes the layer.
  const first = Array.isArray(shape) && Array.isArray(shape[0]) ? shape[0] : shape;
  if (!Array.isArray(first)) throw new Error(`describeModel: layer "${layerName}" has no output shape`);
  return first.slice(1).map((dim) => {
    if (typeof dim !== "number") throw new Error(`describeModel: layer "${layerName}" has an undefined output dimension in [${first.join(", ")}]`);
    return dim;
  });
}

export function describeModel(model: LayersModel): ModelDescription {
  if (model.inputs.length !== 1) throw new Error(`describeModel: expected a model with one input, got ${model.inputs.length}`);
  const inputShape = exampleShape(model.inputs[0].shape, "input");
  const layers: LayerDescription[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === "InputLayer") continue;
    const config = layer.getConfig() as Record<string, unknown>;
    const outputShape = exampleShape(layer.outputShape, layer.name);
    let kind: LayerKind = KIND_BY_CLASS[className] ?? className.toLowerCase();
    if (className === "Activation") kind = String(config.activation);
    if (className === "ReLU") kind = "relu";
    if (className === "Dense" && layer.name === LOGITS_LAYER) kind = "logits";
    let units = outputShape.length > 0 ? outputShape[outputShape.length - 1] : 1;
    if (className === "Dense" && typeof config.units === "number") units = config.units;
    if (className === "Conv2D" && typeof config.filters === "number") units = config.filters;
    layers.push({ name: layer.name, kind, units, outputShape });
  }
  return { inputShape, layers };
}

/**
 * The layers whose outputs the analyses record: every layer that computes new units (dense_i
 * pre-activations, relu_i, conv, normalization, logits), skipping standardize, flatten, pool,
 * dropout and reshape.
 */
export function activationLayerNames(description: ModelDescription): string[] {
  return description.layers.filter((layer) => !PASS_THROUGH_KINDS.has(layer.kind)).map((layer) => layer.name);
}
