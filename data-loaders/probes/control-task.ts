// The probes' control task, in the spirit of Hewitt and Liang: k-means clusters of the training
// sample's pixels, each cluster given a fixed random digit; a test image gets the digit of its
// nearest cluster. The same labels serve every model, layer and basis, so selectivity (task minus
// control accuracy) compares across them. Produced once per dataset into the artifact cache.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import type { Dataset } from "../dataset/read-dataset.js";
import { TRAIN_SAMPLE, trainSample } from "../site-data/dataset-files.js";
import { controlLabels, kMeans, nearestCentroid } from "../../src/lib/probes/kmeans.js";
import { PROBE_SETUP, controlSeeds } from "../../src/lib/probes/setup.js";
import { producerCode } from "../cache/code-files.js";

export interface ControlTask {
  train: Uint8Array;
  test: Uint8Array;
  iterations: number;
  /** How many of the clusters carry each digit. */
  labelsPerDigit: number[];
}

const FILE = "control-task.json";

const pixelsOf = (images: Uint8Array, count: number) => ({ rows: count, cols: images.length / count, data: Float32Array.from(images, (v) => v / 255) });

export async function controlTask(dataset: Dataset): Promise<ControlTask> {
  const key = await artifactKey({
    kind: "probe-control-task",
    datasetChecksum: dataset.checksum,
    config: { control: PROBE_SETUP.control, sample: TRAIN_SAMPLE },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const classes = dataset.classNames.length;
    const { clusters, iterations } = PROBE_SETUP.control;
    const seeds = controlSeeds();
    const sample = trainSample(dataset);
    const fit = kMeans(pixelsOf(sample.images, sample.labels.length), clusters, { seed: seeds.kMeans, maxIterations: iterations });
    const clusterLabels = controlLabels(
      Int32Array.from({ length: clusters }, (_, i) => i),
      clusters,
      classes,
      seeds.labels,
    );
    const train = Array.from(fit.assignments, (cluster) => clusterLabels[cluster]);
    const test = Array.from(nearestCentroid(fit.centroids, clusters, pixelsOf(dataset.test.images, dataset.test.count)), (cluster) => clusterLabels[cluster]);
    const labelsPerDigit = Array.from({ length: classes }, (_, digit) => clusterLabels.filter((label) => label === digit).length);
    await writeFile(join(out, FILE), JSON.stringify({ train, test, iterations: fit.iterations, labelsPerDigit }));
  });
  const json = JSON.parse(await readFile(join(dir, FILE), "utf8"));
  return { train: Uint8Array.from(json.train), test: Uint8Array.from(json.test), iterations: json.iterations, labelsPerDigit: json.labelsPerDigit };
}
