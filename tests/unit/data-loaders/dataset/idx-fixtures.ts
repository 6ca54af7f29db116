// Tiny MNIST-format datasets written to temporary folders for the reader's tests.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Encodes values as an IDX file; `typeByte` and `dimensionCount` can be overridden to make broken files. */
export function encodeIdx(
  dims: number[],
  data: Uint8Array,
  header: { typeByte?: number; dimensionCount?: number; firstBytes?: [number, number] } = {},
): Uint8Array {
  const headerLength = 4 + 4 * dims.length;
  const bytes = new Uint8Array(headerLength + data.length);
  const view = new DataView(bytes.buffer);
  const [first, second] = header.firstBytes ?? [0, 0];
  bytes[0] = first;
  bytes[1] = second;
  bytes[2] = header.typeByte ?? 0x08;
  bytes[3] = header.dimensionCount ?? dims.length;
  dims.forEach((size, i) => view.setUint32(4 + 4 * i, size));
  bytes.set(data, headerLength);
  return bytes;
}

/** `count` images of rows x cols where pixel p of image i is (i * 7 + p) mod 256: each image differs and is easy to check. */
export function makeImages(count: number, rows = 28, cols = 28): Uint8Array {
  const size = rows * cols;
  const data = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) for (let p = 0; p < size; p++) data[i * size + p] = (i * 7 + p) % 256;
  return data;
}

export function encodeImages(count: number, rows = 28, cols = 28): Uint8Array {
  return encodeIdx([count, rows, cols], makeImages(count, rows, cols));
}

export function encodeLabels(labels: number[]): Uint8Array {
  return encodeIdx([labels.length], Uint8Array.from(labels));
}

export const TRAIN_LABELS = [5, 0, 4, 1, 9];
export const TEST_LABELS = [7, 2, 1];

export interface FixtureOptions {
  /** "dash": train-images-idx3-ubyte; "dot": train-images.idx3-ubyte. */
  naming?: "dash" | "dot";
  gzip?: boolean;
  /** Contents that replace the default encoding of a file, keyed by its stem. */
  replace?: Partial<Record<"train-images" | "train-labels" | "t10k-images" | "t10k-labels", Uint8Array>>;
  omit?: ("train-images" | "train-labels" | "t10k-images" | "t10k-labels")[];
  /** Text of classes.json; none is written when undefined. */
  classesJson?: string;
}

/** Writes a dataset of 5 train and 3 test 28x28 images to a new temporary folder and returns its path. */
export async function writeFixtureDataset(options: FixtureOptions = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mnist-fixture-"));
  const files = {
    "train-images": { kind: "idx3", bytes: encodeImages(TRAIN_LABELS.length) },
    "train-labels": { kind: "idx1", bytes: encodeLabels(TRAIN_LABELS) },
    "t10k-images": { kind: "idx3", bytes: encodeImages(TEST_LABELS.length) },
    "t10k-labels": { kind: "idx1", bytes: encodeLabels(TEST_LABELS) },
  } as const;
  for (const [stem, { kind, bytes }] of Object.entries(files) as [keyof typeof files, (typeof files)[keyof typeof files]][]) {
    if (options.omit?.includes(stem)) continue;
    const separator = options.naming === "dot" ? "." : "-";
    const contents = options.replace?.[stem] ?? bytes;
    const name = `${stem}${separator}${kind}-ubyte${options.gzip ? ".gz" : ""}`;
    await writeFile(join(dir, name), options.gzip ? gzipSync(contents) : contents);
  }
  if (options.classesJson !== undefined) await writeFile(join(dir, "classes.json"), options.classesJson);
  return dir;
}

export async function removeFixture(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
