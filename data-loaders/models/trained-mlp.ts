// Trains (or fetches from the artifact cache) an MLP classifier and keeps everything the pages
// need from its training: the final weights in tfjs layers format, the per-epoch metrics and a
// weight snapshot per epoch (from which a page recomputes any epoch's activations exactly).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readDataset, type Dataset } from "../dataset/read-dataset.js";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { KERNEL_CODE } from "../training/kernels/build-kernels.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainClassifier, type EpochMetrics, type TrainConfig } from "../training/train.js";
import { writeLayersModel } from "../training/export-layers.js";
import { buildMlp, type MlpSpec } from "../../src/lib/models/mlp.js";
import { encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import { encodeWeightSnapshots } from "../../src/lib/mlp/snapshots.js";
import type { MlpWeights } from "../../src/lib/mlp/weights.js";
import { readMlpWeights } from "../../src/lib/mlp/from-model.js";

export interface MlpDefinition {
  /** Artifact kind and file-name prefix, e.g. "baseline-mlp". */
  kind: string;
  /** Hidden layer sizes and the init seed; inputs and classes come from the dataset. */
  model: Omit<MlpSpec, "inputSize" | "classes">;
  train: TrainConfig;
}

export interface TrainingRecord {
  kind: string;
  modelName: string;
  spec: MlpSpec;
  train: TrainConfig;
  backend: string;
  dataset: { name: string; checksum: string; classNames: string[]; trainCount: number; testCount: number };
  /** Test metrics are over the whole test split; see EpochMetrics for the train columns. */
  history: EpochMetrics[];
}

export const HISTORY_FILE = "history.json";
export const SNAPSHOTS_FILE = "snapshots.bin";

/** Code whose change must retrain: the training loop and kernels, the model and the snapshot format. */
const TRAINING_CODE = [
  "data-loaders/models",
  "data-loaders/training",
  ...KERNEL_CODE,
  "data-loaders/cache",
  "src/lib/models",
  "src/lib/mlp/weights.ts",
  "src/lib/mlp/snapshots.ts",
  "src/lib/mlp/from-model.ts",
  "src/lib/codecs",
  "src/lib/random.ts",
];

export interface TrainedMlp {
  dir: string;
  dataset: Dataset;
  record: TrainingRecord;
}

export async function trainedMlp(definition: MlpDefinition): Promise<TrainedMlp> {
  const dataset = await readDataset();
  const spec: MlpSpec = { inputSize: dataset.rows * dataset.cols, classes: dataset.classNames.length, ...definition.model };
  const key = await artifactKey({
    kind: definition.kind,
    datasetChecksum: dataset.checksum,
    config: { spec, train: definition.train, classNames: dataset.classNames },
    codeFiles: TRAINING_CODE,
  });
  const dir = await withArtifact(key, async (out) => {
    const { tf, backend } = await initTrainingBackend();
    const model = buildMlp(tf, spec);
    const snapshots: { epoch: number; weights: MlpWeights }[] = [];
    const { history } = await trainClassifier(
      tf,
      model,
      {
        trainImages: dataset.train.images,
        trainLabels: dataset.train.labels,
        testImages: dataset.test.images,
        testLabels: dataset.test.labels,
        classes: spec.classes,
        inputShape: [spec.inputSize],
      },
      definition.train,
      { onEpochEnd: async (epoch, _metrics, trained) => void snapshots.push({ epoch, weights: await readMlpWeights(trained) }) },
    );
    await writeLayersModel(model, out);
    const record: TrainingRecord = {
      kind: definition.kind,
      modelName: model.name,
      spec,
      train: definition.train,
      backend,
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
  return { dir, dataset, record };
}

/** The contents of one file of a trained model's artifact, for a loader's stdout. */
export async function trainedMlpFile(definition: MlpDefinition, file: string): Promise<Uint8Array> {
  const { dir } = await trainedMlp(definition);
  return readFile(join(dir, file));
}
