// Every weight of a model at several training epochs, in one tensor bundle, so a page can rebuild
// the network of any epoch (with the model's model.json) and watch units drift over training.
// Layout: meta { epochs, weights: [{ name, shape }] } and one array "epoch<e>/<weight name>" per
// epoch and weight, named as in the tfjs weight manifest ("dense_1/kernel", "layernorm_1/gamma").
import { requireArray, type DecodedBundle, type NamedArray } from "../codecs/tensor-bundle.js";
import type { NamedWeights } from "./from-layers-model.js";

export interface WeightSnapshot {
  epoch: number;
  weights: NamedWeights;
}

export type SnapshotWeightMeta = { name: string; shape: number[] };
// Type aliases (not interfaces) so the meta passes as encodeBundle's Record<string, unknown>.
export type WeightSnapshotsMeta = { epochs: number[]; weights: SnapshotWeightMeta[] };

export const snapshotArrayName = (epoch: number, weight: string) => `epoch${epoch}/${weight}`;

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function checkEpochs(epochs: unknown[], source: string): number[] {
  epochs.forEach((epoch, i) => {
    if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 0)
      throw new Error(`${source}: epoch ${i} must be a non-negative integer, found ${JSON.stringify(epoch)}`);
    if (i > 0 && epoch <= (epochs[i - 1] as number)) throw new Error(`${source}: epochs must be strictly increasing, found ${epochs[i - 1]} then ${epoch}`);
  });
  return epochs as number[];
}

/** The arrays and meta of a snapshot bundle; write them with encodeBundle(arrays, meta). */
export function encodeWeightSnapshots(snapshots: { epoch: number; weights: { name: string; shape: number[]; data: Float32Array }[] }[]): {
  arrays: NamedArray[];
  meta: WeightSnapshotsMeta;
} {
  const source = "encodeWeightSnapshots";
  if (!Array.isArray(snapshots) || snapshots.length === 0) throw new Error(`${source}: expected at least one snapshot, found none`);
  const epochs = checkEpochs(
    snapshots.map((s) => s.epoch),
    source,
  );
  const weights = snapshots[0].weights.map(({ name, shape }) => ({ name, shape }));
  const arrays: NamedArray[] = [];
  for (const snapshot of snapshots) {
    const layout = snapshot.weights.map(({ name, shape }) => ({ name, shape }));
    if (JSON.stringify(layout) !== JSON.stringify(weights)) {
      throw new Error(`${source}: epoch ${snapshot.epoch} has weights ${JSON.stringify(layout)}, but epoch ${epochs[0]} has ${JSON.stringify(weights)}`);
    }
    for (const { name, shape, data } of snapshot.weights) {
      if (!(data instanceof Float32Array) || data.length !== product(shape)) {
        throw new Error(`${source}: epoch ${snapshot.epoch}, weight "${name}" must be a Float32Array of ${product(shape)} values`);
      }
      arrays.push({ name: snapshotArrayName(snapshot.epoch, name), shape, data });
    }
  }
  return { arrays, meta: { epochs, weights } };
}

function checkMeta(meta: Record<string, unknown>, source: string): WeightSnapshotsMeta {
  const { epochs, weights } = meta as Partial<WeightSnapshotsMeta>;
  if (!Array.isArray(weights) || weights.length === 0)
    throw new Error(`${source}: meta.weights must be a non-empty list of { name, shape }, found ${JSON.stringify(weights)}`);
  weights.forEach((w, i) => {
    if (w === null || typeof w !== "object" || typeof w.name !== "string" || !Array.isArray(w.shape)) {
      throw new Error(`${source}: meta.weights[${i}] must be { name, shape }, found ${JSON.stringify(w)}`);
    }
  });
  if (!Array.isArray(epochs) || epochs.length === 0)
    throw new Error(`${source}: meta.epochs must be a non-empty list of epochs, found ${JSON.stringify(epochs)}`);
  return { epochs: checkEpochs(epochs, `${source}: meta.epochs`), weights };
}

/** Snapshots in the bundle's epoch order; the arrays are views into the bundle's buffer. */
export function decodeWeightSnapshots(bundle: DecodedBundle, source = "weight snapshots"): WeightSnapshot[] {
  const meta = checkMeta(bundle.meta, source);
  return meta.epochs.map((epoch) => {
    const weights: NamedWeights = new Map();
    for (const { name, shape } of meta.weights) {
      const arrayName = snapshotArrayName(epoch, name);
      const array = requireArray(bundle, arrayName, "float32", source);
      if (array.shape.length !== shape.length || array.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`${source}: array "${arrayName}" must have shape [${shape}], found [${array.shape}]`);
      }
      weights.set(name, array.data);
    }
    return { epoch, weights };
  });
}
