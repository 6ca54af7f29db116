// Everything the build writes about one trained model, decoded: the network with its final
// weights (model.json + weights.bin), the network at every recorded epoch (snapshots.bin) and the
// training record (history.json). Pure, so Node tests and the browser decode the same way.
import { decodeBundle } from "../codecs/tensor-bundle.js";
import { gunzipIfNeeded } from "../codecs/gzip.js";
import type { TrainingRecord } from "../models/training-record.js";
import { networkFromLayersModel, readWeightsBin } from "./from-layers-model.js";
import { decodeWeightSnapshots } from "./snapshots.js";
import type { Network } from "./network.js";

export interface EpochNetwork {
  epoch: number;
  network: Network;
}

export interface DecodedModel {
  /** The registry name, e.g. "baseline-mlp". */
  name: string;
  network: Network;
  /** The network after each recorded epoch (epoch 0 = untrained), in order. */
  epochs: EpochNetwork[];
  record: TrainingRecord;
}

export interface RawModelFiles {
  name: string;
  modelJson: unknown;
  weightsBin: ArrayBuffer;
  /** snapshots.bin, gzipped or not. */
  snapshotsBin: ArrayBuffer;
  record: TrainingRecord;
}

export async function decodeModelFiles(files: RawModelFiles): Promise<DecodedModel> {
  const source = `model "${files.name}"`;
  const network = networkFromLayersModel(files.modelJson, readWeightsBin(files.modelJson, files.weightsBin, `${source}: weights.bin`), `${source}: model.json`);
  const snapshots = decodeWeightSnapshots(decodeBundle(await gunzipIfNeeded(files.snapshotsBin), `${source}: snapshots.bin`), `${source}: snapshots.bin`);
  const epochs = snapshots.map(({ epoch, weights }) => ({
    epoch,
    network: networkFromLayersModel(files.modelJson, weights, `${source}: snapshots.bin, epoch ${epoch}`),
  }));
  if (!Array.isArray(files.record?.history) || files.record.history.length === 0) throw new Error(`${source}: history.json has no training history`);
  return { name: files.name, network, epochs, record: files.record };
}
