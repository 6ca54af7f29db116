// Trains (or fetches from the artifact cache) one model of the registry and keeps everything the
// pages need: the final weights in the tfjs layers format, the training record (history.json) and
// every weight after every epoch (snapshots.bin), from which a page rebuilds any epoch exactly.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readDataset, type Dataset } from "../dataset/read-dataset.js";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend, requestedTrainingBackend } from "../training/node-backend.js";
import { trainClassifier } from "../training/train.js";
import { kernelModule } from "../training/kernels/build-kernels.js";
import { writeLayersModel } from "../training/export-layers.js";
import { readNamedWeights } from "../training/named-weights.js";
import { pixelStats } from "../training/pixel-stats.js";
import { buildModel } from "../../src/lib/models/architecture.js";
import { modelEntry, type ModelEntry } from "../../src/lib/models/registry.js";
import type { TrainingRecord } from "../../src/lib/models/training-record.js";
import { encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import { encodeWeightSnapshots } from "../../src/lib/network/snapshots.js";
import { producerCode } from "../cache/code-files.js";

export const HISTORY_FILE = "history.json";
export const SNAPSHOTS_FILE = "snapshots.bin";
/** The files of a trained model's artifact, as the loaders serve them. */
export const MODEL_FILES = ["model.json", "weights.bin", HISTORY_FILE, SNAPSHOTS_FILE] as const;

export interface TrainedModel {
  entry: ModelEntry;
  dir: string;
  dataset: Dataset;
  record: TrainingRecord;
}

export async function trainedModel(name: string): Promise<TrainedModel> {
  const entry = modelEntry(name);
  const dataset = await readDataset();
  const key = await artifactKey({
    kind: entry.name,
    datasetChecksum: dataset.checksum,
    // The backend asked for (TRAIN_BACKEND) changes the numbers, so it is part of the key.
    config: { architecture: entry.architecture, train: entry.train, classNames: dataset.classNames, backend: requestedTrainingBackend() },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const { tf, backend } = await initTrainingBackend();
    const inputSize = dataset.rows * dataset.cols;
    const usesStats = entry.architecture.layers.some((layer) => layer.type === "standardize");
    const inputStats = usesStats ? pixelStats(dataset.train.images, dataset.train.count, inputSize) : undefined;
    const model = buildModel(tf, entry.architecture, { inputSize, classes: dataset.classNames.length, inputStats });
    const snapshots: { epoch: number; weights: Awaited<ReturnType<typeof readNamedWeights>> }[] = [];
    const { history, penalties, trainedBy } = await trainClassifier(
      tf,
      model,
      {
        trainImages: dataset.train.images,
        trainLabels: dataset.train.labels,
        testImages: dataset.test.images,
        testLabels: dataset.test.labels,
        classes: dataset.classNames.length,
        inputShape: [inputSize],
      },
      entry.train,
      { onEpochEnd: async (epoch, _metrics, trained) => void snapshots.push({ epoch, weights: await readNamedWeights(trained) }) },
      // Dense stacks train on the fused WebAssembly step (the tfjs path's numbers to float32
      // rounding, several times faster); TRAIN_BACKEND=cpu keeps tfjs, the reference.
      backend === "wasm" ? { kernels: await kernelModule() } : {},
    );
    await writeLayersModel(model, out);
    const masked = penalties?.find((p) => "maskedPixels" in p);
    const record: TrainingRecord = {
      name: entry.name,
      modelName: model.name,
      entry: { ...entry },
      ...(inputStats ? { inputStats } : {}),
      ...(masked && "maskedPixels" in masked ? { penalizedPixels: masked.maskedPixels } : {}),
      backend,
      trainedBy,
      dataset: {
        name: dataset.name,
        checksum: dataset.checksum,
        classNames: dataset.classNames,
        trainCount: dataset.train.count,
        testCount: dataset.test.count,
      },
      history,
    };
    await writeFile(join(out, HISTORY_FILE), JSON.stringify(record));
    const { arrays, meta } = encodeWeightSnapshots(snapshots);
    await writeFile(join(out, SNAPSHOTS_FILE), gzipSync(encodeBundle(arrays, meta)));
    model.dispose();
  });
  const record = JSON.parse(await readFile(join(dir, HISTORY_FILE), "utf8")) as TrainingRecord;
  return { entry, dir, dataset, record };
}

/** The contents of one file of a trained model's artifact, for a loader's stdout. */
export async function trainedModelFile(name: string, file: (typeof MODEL_FILES)[number]): Promise<Uint8Array> {
  const { dir } = await trainedModel(name);
  return readFile(join(dir, file));
}
