// A ReLU MLP as plain typed arrays, independent of tfjs, so weights can travel in tensor bundles
// (one snapshot per training epoch) and be run by whichever backend the page chose.
// Activation names are the contract every page uses: hidden layer i (1-based) has a
// pre-activation "dense_i" and a post-ReLU activation "relu_i"; the output is "logits".

/** One dense layer in tfjs layout: kernel is inputSize × units, row-major (kernel[i*units + j] connects input i to unit j). */
export interface DenseWeights {
  name: string;
  inputSize: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** A ReLU MLP: every layer but the last is followed by ReLU; the last produces logits. */
export interface MlpWeights {
  layers: DenseWeights[];
}

export const LOGITS_NAME = "logits";

/** Where an activation sits: after layer `layerIndex` (0-based), before or after its ReLU. */
export interface ActivationLocation {
  name: string;
  kind: "dense" | "relu" | "logits";
  /** 0-based index into weights.layers of the dense layer that produces it. */
  layerIndex: number;
  units: number;
}

/** The name the dense layer at 0-based position `index` must have in a network of `layerCount` layers. */
export function expectedLayerName(index: number, layerCount: number): string {
  return index === layerCount - 1 ? LOGITS_NAME : `dense_${index + 1}`;
}

const positiveInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value > 0;

/**
 * Checks the structure: at least one layer, conventional names, positive integer sizes, each
 * layer's units feeding the next layer's inputSize, and kernel/bias lengths matching the sizes.
 */
export function validateMlpWeights(weights: MlpWeights, source = "MLP weights"): void {
  if (weights === null || typeof weights !== "object" || !Array.isArray(weights.layers)) {
    throw new Error(`${source}: expected an object with a "layers" array, found ${weights === null ? "null" : typeof weights}`);
  }
  const { layers } = weights;
  if (layers.length === 0) throw new Error(`${source}: expected at least one layer, found none`);
  layers.forEach((layer, index) => {
    const label = `${source}: layer ${index + 1} ("${layer?.name}")`;
    const expectedName = expectedLayerName(index, layers.length);
    if (layer.name !== expectedName) throw new Error(`${source}: layer ${index + 1} must be named "${expectedName}", found "${layer.name}"`);
    if (!positiveInteger(layer.inputSize)) throw new Error(`${label}: inputSize must be a positive integer, found ${layer.inputSize}`);
    if (!positiveInteger(layer.units)) throw new Error(`${label}: units must be a positive integer, found ${layer.units}`);
    if (!(layer.kernel instanceof Float32Array)) throw new Error(`${label}: kernel must be a Float32Array, found ${Object.prototype.toString.call(layer.kernel)}`);
    if (!(layer.bias instanceof Float32Array)) throw new Error(`${label}: bias must be a Float32Array, found ${Object.prototype.toString.call(layer.bias)}`);
    const kernelLength = layer.inputSize * layer.units;
    if (layer.kernel.length !== kernelLength) {
      throw new Error(`${label}: kernel must hold inputSize × units = ${layer.inputSize} × ${layer.units} = ${kernelLength} values, found ${layer.kernel.length}`);
    }
    if (layer.bias.length !== layer.units) throw new Error(`${label}: bias must hold ${layer.units} values (one per unit), found ${layer.bias.length}`);
    if (index > 0) {
      const previous = layers[index - 1];
      if (layer.inputSize !== previous.units) {
        throw new Error(`${label}: inputSize must equal the ${previous.units} units of layer ${index} ("${previous.name}"), found ${layer.inputSize}`);
      }
    }
  });
}

/** Every activation in forward order: ["dense_1", "relu_1", ..., "logits"]. */
export function activationNames(weights: MlpWeights): string[] {
  const names: string[] = [];
  weights.layers.forEach((_, index) => {
    if (index === weights.layers.length - 1) names.push(LOGITS_NAME);
    else names.push(`dense_${index + 1}`, `relu_${index + 1}`);
  });
  return names;
}

/** The post-ReLU hidden activations a reader can intervene on: ["relu_1", "relu_2", ...]. */
export function hiddenLayerNames(weights: MlpWeights): string[] {
  return weights.layers.slice(0, -1).map((_, index) => `relu_${index + 1}`);
}

/** Resolves an activation name, with an error that lists the names this network has. */
export function locateActivation(weights: MlpWeights, name: string): ActivationLocation {
  const last = weights.layers.length - 1;
  if (name === LOGITS_NAME) return { name, kind: "logits", layerIndex: last, units: weights.layers[last].units };
  const match = /^(dense|relu)_([1-9][0-9]*)$/.exec(String(name));
  const layerIndex = match ? Number(match[2]) - 1 : -1;
  if (!match || layerIndex >= last) {
    throw new Error(`unknown activation "${name}": this network has [${activationNames(weights).join(", ")}]`);
  }
  return { name, kind: match[1] as "dense" | "relu", layerIndex, units: weights.layers[layerIndex].units };
}

/** Number of units of an activation (pre- and post-ReLU of a layer have the same count). */
export function unitsOf(weights: MlpWeights, name: string): number {
  return locateActivation(weights, name).units;
}

export function inputSizeOf(weights: MlpWeights): number {
  return weights.layers[0].inputSize;
}

export function classCountOf(weights: MlpWeights): number {
  return weights.layers[weights.layers.length - 1].units;
}
