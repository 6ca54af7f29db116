// A t-SNE map of one hidden layer of a trained MLP, computed at build time (exact t-SNE is too
// slow to re-run on every page view). The parameters travel with the file so the page states them.
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { SNAPSHOTS_FILE, trainedMlp, type MlpDefinition } from "./trained-mlp.js";
import { decodeBundle, encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import { decodeWeightSnapshots } from "../../src/lib/mlp/snapshots.js";
import { mlpActivations } from "../../src/lib/mlp/forward.js";
import { tsne } from "../../src/lib/analysis/tsne.js";
import { mulberry32, sampleIndices } from "../../src/lib/random.js";

export interface TsneParameters {
  /** The activation to embed, e.g. "relu_2" (the last hidden layer, after ReLU). */
  layer: string;
  /** How many test images (a seeded random sample). */
  sample: number;
  sampleSeed: number;
  perplexity: number;
  iterations: number;
  learningRate: number;
  seed: number;
}

export const DEFAULT_TSNE: TsneParameters = {
  layer: "relu_2",
  sample: 2000,
  sampleSeed: 11,
  perplexity: 30,
  iterations: 1000,
  learningRate: 200,
  seed: 1,
};

const FILE = "tsne.bin";
/** What the embedding depends on: a change here recomputes it (other analysis modules do not). */
const CODE = [
  "data-loaders/models/tsne-embedding.ts",
  "src/lib/analysis/tsne.ts",
  "src/lib/analysis/validate.ts",
  "src/lib/analysis/types.ts",
  "src/lib/mlp",
  "src/lib/codecs",
  "src/lib/random.ts",
];

/** A gzipped tensor bundle: "indices" (test-set rows), "embedding" [n, 2], meta = parameters + KL. */
export async function tsneFile(definition: MlpDefinition, params: TsneParameters = DEFAULT_TSNE): Promise<Uint8Array> {
  const { dir: modelDir, dataset } = await trainedMlp(definition);
  const key = await artifactKey({
    kind: `${definition.kind}-tsne`,
    datasetChecksum: dataset.checksum,
    config: { model: basename(modelDir), params },
    codeFiles: CODE,
  });
  const dir = await withArtifact(key, async (out) => {
    const snapshots = decodeWeightSnapshots(decodeBundle(toArrayBuffer(gunzipSync(await readFile(join(modelDir, SNAPSHOTS_FILE))))));
    const { weights } = snapshots[snapshots.length - 1];
    const indices = sampleIndices(dataset.test.count, params.sample, mulberry32(params.sampleSeed));
    const pixels = dataset.rows * dataset.cols;
    const images = new Uint8Array(indices.length * pixels);
    indices.forEach((row, i) => images.set(dataset.test.images.subarray(row * pixels, (row + 1) * pixels), i * pixels));
    const { tf } = await initTrainingBackend();
    const activations = await mlpActivations(tf, weights, images, indices.length);
    const layer = activations[params.layer];
    if (!layer) throw new Error(`t-SNE: the model has no activation "${params.layer}"; it has ${Object.keys(activations).join(", ")}`);
    const started = performance.now();
    const { embedding, kl } = tsne(layer, {
      perplexity: params.perplexity,
      iterations: params.iterations,
      learningRate: params.learningRate,
      seed: params.seed,
      progressEvery: 100,
      onProgress: ({ iteration, iterations }) => process.stderr.write(`t-SNE ${definition.kind}/${params.layer}: iteration ${iteration}/${iterations}\n`),
    });
    const seconds = (performance.now() - started) / 1000;
    const bundle = encodeBundle(
      [
        { name: "indices", shape: [indices.length], data: Uint16Array.from(indices) },
        { name: "embedding", shape: [indices.length, 2], data: Float32Array.from(embedding) },
      ],
      { ...params, kl, seconds },
    );
    await writeFile(join(out, FILE), gzipSync(bundle));
  });
  return readFile(join(dir, FILE));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
