// Weights of one MLP at several training epochs, stored in one tensor bundle so a page can show
// how units drift over training. Layout: meta { layers: [{ name, inputSize, units }], epochs }
// and arrays "epoch<e>/<layer>/kernel" ([inputSize, units]) and "epoch<e>/<layer>/bias" ([units]).
import { requireArray, type DecodedBundle, type NamedArray } from "../codecs/tensor-bundle.js";
import { validateMlpWeights, type MlpWeights } from "./weights.js";

export interface WeightSnapshot {
  epoch: number;
  weights: MlpWeights;
}

export type SnapshotLayerMeta = {
  name: string;
  inputSize: number;
  units: number;
};

// Type aliases (not interfaces) so the meta passes as encodeBundle's Record<string, unknown>.
export type WeightSnapshotsMeta = {
  layers: SnapshotLayerMeta[];
  epochs: number[];
};

export const snapshotArrayName = (epoch: number, layer: string, part: "kernel" | "bias") => `epoch${epoch}/${layer}/${part}`;

function checkEpochs(epochs: unknown[], source: string): number[] {
  epochs.forEach((epoch, i) => {
    if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0) throw new Error(`${source}: epoch ${i} must be a non-negative integer, found ${JSON.stringify(epoch)}`);
    if (i > 0 && epoch <= (epochs[i - 1] as number)) throw new Error(`${source}: epochs must be strictly increasing, found ${epochs[i - 1]} then ${epoch}`);
  });
  return epochs as number[];
}

/** The arrays and meta of a snapshot bundle; write them with encodeBundle(arrays, meta). */
export function encodeWeightSnapshots(snapshots: WeightSnapshot[]): { arrays: NamedArray[]; meta: WeightSnapshotsMeta } {
  const source = "encodeWeightSnapshots";
  if (!Array.isArray(snapshots) || snapshots.length === 0) throw new Error(`${source}: expected at least one snapshot, found ${Array.isArray(snapshots) ? 0 : typeof snapshots}`);
  const epochs = checkEpochs(
    snapshots.map((snapshot) => snapshot.epoch),
    source,
  );
  snapshots.forEach(({ epoch, weights }) => validateMlpWeights(weights, `${source}: epoch ${epoch}`));
  const layers = snapshots[0].weights.layers.map(({ name, inputSize, units }) => ({ name, inputSize, units }));
  const arrays: NamedArray[] = [];
  for (const { epoch, weights } of snapshots) {
    const shape = weights.layers.map(({ name, inputSize, units }) => ({ name, inputSize, units }));
    if (JSON.stringify(shape) !== JSON.stringify(layers)) {
      throw new Error(`${source}: epoch ${epoch} has layers ${JSON.stringify(shape)}, but epoch ${epochs[0]} has ${JSON.stringify(layers)}`);
    }
    for (const layer of weights.layers) {
      arrays.push({ name: snapshotArrayName(epoch, layer.name, "kernel"), shape: [layer.inputSize, layer.units], data: layer.kernel });
      arrays.push({ name: snapshotArrayName(epoch, layer.name, "bias"), shape: [layer.units], data: layer.bias });
    }
  }
  return { arrays, meta: { layers, epochs } };
}

function checkMeta(meta: Record<string, unknown>, source: string): WeightSnapshotsMeta {
  const { layers, epochs } = meta as Partial<WeightSnapshotsMeta>;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error(`${source}: meta.layers must be a non-empty list of { name, inputSize, units }, found ${JSON.stringify(layers)}`);
  layers.forEach((layer, i) => {
    const ok = layer !== null && typeof layer === "object" && typeof layer.name === "string" && Number.isInteger(layer.inputSize) && Number.isInteger(layer.units);
    if (!ok) throw new Error(`${source}: meta.layers[${i}] must be { name, inputSize, units }, found ${JSON.stringify(layer)}`);
  });
  if (!Array.isArray(epochs) || epochs.length === 0) throw new Error(`${source}: meta.epochs must be a non-empty list of epochs, found ${JSON.stringify(epochs)}`);
  return { layers, epochs: checkEpochs(epochs, `${source}: meta.epochs`) };
}

function requireShape(found: number[], expected: number[], name: string, source: string): void {
  if (found.length !== expected.length || found.some((d, i) => d !== expected[i])) {
    throw new Error(`${source}: array "${name}" must have shape [${expected}], found [${found}]`);
  }
}

/** Snapshots in the bundle's epoch order; the arrays are views into the bundle's buffer. */
export function decodeWeightSnapshots(bundle: DecodedBundle, source = "weight snapshots"): WeightSnapshot[] {
  const meta = checkMeta(bundle.meta, source);
  return meta.epochs.map((epoch) => {
    const layers = meta.layers.map(({ name, inputSize, units }) => {
      const kernelName = snapshotArrayName(epoch, name, "kernel");
      const biasName = snapshotArrayName(epoch, name, "bias");
      const kernel = requireArray(bundle, kernelName, "float32", source);
      const bias = requireArray(bundle, biasName, "float32", source);
      requireShape(kernel.shape, [inputSize, units], kernelName, source);
      requireShape(bias.shape, [units], biasName, source);
      return { name, inputSize, units, kernel: kernel.data, bias: bias.data };
    });
    const weights: MlpWeights = { layers };
    validateMlpWeights(weights, `${source}: epoch ${epoch}`);
    return { epoch, weights };
  });
}
