// The activations an SAE sweep of one layer trains and is evaluated on, recorded with the network
// runtime on tfjs-wasm and cached per (model, layer). A dense layer: all 60,000 training images
// and all 10,000 test images. A spatial layer (a conv ReLU, where each position of each image is
// one sample of the channel vector): a seeded sample of training positions, and every position of
// a seeded sample of test images (a whole map per image, so the downstream splice and the
// evaluation see the same kind of inputs).
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainedModel } from "../models/trained-model.js";
import { trainedNetwork } from "../models/trained-network.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { decodeBundle, encodeBundle, requireArray, type NamedArray } from "../../src/lib/codecs/tensor-bundle.js";
import { recordActivations } from "../../src/lib/network/forward.js";
import { activationInfo } from "../../src/lib/network/network.js";
import { uploadNetwork } from "../../src/lib/network/tensor-network.js";
import { deriveSeed, mulberry32, sampleIndices } from "../../src/lib/random.js";
import type { SweepSamples } from "../../src/lib/sae/sweep-file.js";
import { producerCode } from "../cache/code-files.js";

/** Spatial layers only: training positions drawn from all training images' maps, test images whose every position is evaluated. */
export const SPATIAL_SAMPLES = { trainPositions: 100_000, evaluationImages: 1_000, seed: 7 } as const;

const FILE = "activations.bin";
/** Images per forward pass when sampling a spatial layer (2,000 images of a 26 × 26 × 8 map: 43 MB). */
const CHUNK_IMAGES = 2000;

export interface LayerActivations {
  spatial: boolean;
  /** Rows = samples, cols = the layer's units or channels. */
  train: ActivationMatrix;
  evaluation: ActivationMatrix;
  /** Spatial layers: the test images whose positions are the evaluation rows, in order. */
  evaluationImages: Int32Array | null;
  samples: SweepSamples;
}

export async function layerActivations(model: string, layer: string): Promise<LayerActivations> {
  const { dir: modelDir, dataset } = await trainedModel(model);
  const key = await artifactKey({
    kind: `${model}-${layer}-activations`,
    datasetChecksum: dataset.checksum,
    config: { model: basename(modelDir), layer, spatial: SPATIAL_SAMPLES },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const { tf } = await initTrainingBackend();
    const network = await trainedNetwork(modelDir);
    const info = activationInfo(network, layer);
    const pixels = dataset.rows * dataset.cols;
    const uploaded = uploadNetwork(tf, network);
    const record = async (images: Uint8Array) => (await recordActivations(tf, uploaded, images, images.length / pixels, { names: [layer] }))[layer].data;
    try {
      let arrays: NamedArray[];
      let samples: SweepSamples;
      if (info.shape.length === 3) {
        const positions = info.shape[0] * info.shape[1];
        const channels = info.units;
        // Flat indices image × positions + position, sorted, so that one pass over the images collects them.
        const picked = sampleIndices(dataset.train.count * positions, SPATIAL_SAMPLES.trainPositions, mulberry32(deriveSeed(SPATIAL_SAMPLES.seed, 0)));
        const train = new Float32Array(picked.length * channels);
        let next = 0;
        for (let start = 0; start < dataset.train.count && next < picked.length; start += CHUNK_IMAGES) {
          const end = Math.min(start + CHUNK_IMAGES, dataset.train.count);
          const maps = await record(dataset.train.images.subarray(start * pixels, end * pixels));
          for (; next < picked.length && picked[next] < end * positions; next++) {
            const from = (picked[next] - start * positions) * channels;
            train.set(maps.subarray(from, from + channels), next * channels);
          }
        }
        const images = Int32Array.from(sampleIndices(dataset.test.count, SPATIAL_SAMPLES.evaluationImages, mulberry32(deriveSeed(SPATIAL_SAMPLES.seed, 1))));
        const chosen = new Uint8Array(images.length * pixels);
        images.forEach((image, i) => chosen.set(dataset.test.images.subarray(image * pixels, (image + 1) * pixels), i * pixels));
        // A map [h, w, c] per image, channels last: its positions are consecutive rows of c values.
        const evaluation = await record(chosen);
        arrays = [
          { name: "train", shape: [picked.length, channels], data: train },
          { name: "evaluation", shape: [images.length * positions, channels], data: evaluation },
          { name: "evaluation_images", shape: [images.length], data: images },
        ];
        samples = {
          train: picked.length,
          evaluation: images.length * positions,
          how:
            `each position of a ${info.shape[0]} × ${info.shape[1]} map is one sample of its ${channels} channels; ` +
            `trained on ${picked.length.toLocaleString("en-US")} positions drawn at random (seed ${SPATIAL_SAMPLES.seed}) from all ${dataset.train.count.toLocaleString("en-US")} training images' maps, ` +
            `evaluated on all ${positions} positions of ${images.length.toLocaleString("en-US")} test images drawn at random (listed in the file)`,
        };
      } else {
        const train = await record(dataset.train.images);
        const evaluation = await record(dataset.test.images);
        arrays = [
          { name: "train", shape: [dataset.train.count, info.units], data: train },
          { name: "evaluation", shape: [dataset.test.count, info.units], data: evaluation },
        ];
        samples = {
          train: dataset.train.count,
          evaluation: dataset.test.count,
          how: `one sample per image: trained on all ${dataset.train.count.toLocaleString("en-US")} training images, evaluated on all ${dataset.test.count.toLocaleString("en-US")} test images`,
        };
      }
      await writeFile(join(out, FILE), gzipSync(encodeBundle(arrays, { samples })));
    } finally {
      uploaded.dispose();
    }
  });
  const bytes = gunzipSync(await readFile(join(dir, FILE)));
  const source = join(dir, FILE);
  const bundle = decodeBundle(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, source);
  const matrix = (name: string): ActivationMatrix => {
    const { shape, data } = requireArray(bundle, name, "float32", source);
    return { rows: shape[0], cols: shape[1], data };
  };
  const images = bundle.arrays.evaluation_images ? requireArray(bundle, "evaluation_images", "int32", source).data : null;
  return {
    spatial: images !== null,
    train: matrix("train"),
    evaluation: matrix("evaluation"),
    evaluationImages: images,
    samples: bundle.meta.samples as SweepSamples,
  };
}
