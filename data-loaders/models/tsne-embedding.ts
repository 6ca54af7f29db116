// A t-SNE map of the last ReLU layer of a trained model, computed at build time (exact t-SNE is
// too slow to re-run on every page view). The parameters travel with the file so the page states them.
import { kernelModule } from "../training/kernels/build-kernels.js";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainedModel } from "./trained-model.js";
import { encodeBundle } from "../../src/lib/codecs/tensor-bundle.js";
import { networkFromLayersModel, readWeightsBin } from "../../src/lib/network/from-layers-model.js";
import { networkActivations } from "../../src/lib/network/forward.js";
import { reluActivationNames } from "../../src/lib/network/network.js";
import { tsne } from "../../src/lib/analysis/embeddings/tsne.js";
import { mulberry32, sampleIndices } from "../../src/lib/random.js";
import { producerCode } from "../cache/code-files.js";

export interface TsneParameters {
  /** How many test images (a seeded random sample). */
  sample: number;
  sampleSeed: number;
  perplexity: number;
  iterations: number;
  learningRate: number;
  seed: number;
}

export const DEFAULT_TSNE: TsneParameters = {
  sample: 2000,
  sampleSeed: 11,
  perplexity: 30,
  iterations: 1000,
  learningRate: 200,
  seed: 1,
};

const FILE = "tsne.bin";
/** A gzipped tensor bundle: "indices" (test-set rows), "embedding" [n, 2], meta = layer + parameters + KL. */
export async function tsneFile(name: string, params: TsneParameters = DEFAULT_TSNE): Promise<Uint8Array> {
  const { dir: modelDir, dataset } = await trainedModel(name);
  const key = await artifactKey({
    kind: `${name}-tsne`,
    datasetChecksum: dataset.checksum,
    config: { model: basename(modelDir), params },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const modelJson = JSON.parse(await readFile(join(modelDir, "model.json"), "utf8"));
    const network = networkFromLayersModel(modelJson, readWeightsBin(modelJson, toArrayBuffer(await readFile(join(modelDir, "weights.bin")))));
    const relu = reluActivationNames(network);
    if (relu.length === 0) throw new Error(`t-SNE: model "${name}" has no ReLU layer to embed`);
    const layer = relu[relu.length - 1];
    const indices = sampleIndices(dataset.test.count, params.sample, mulberry32(params.sampleSeed));
    const pixels = dataset.rows * dataset.cols;
    const images = new Uint8Array(indices.length * pixels);
    indices.forEach((row, i) => images.set(dataset.test.images.subarray(row * pixels, (row + 1) * pixels), i * pixels));
    const { tf } = await initTrainingBackend();
    const activations = await networkActivations(tf, network, images, indices.length, { names: [layer] });
    const started = performance.now();
    const { embedding, kl } = tsne(activations[layer], {
      perplexity: params.perplexity,
      iterations: params.iterations,
      learningRate: params.learningRate,
      seed: params.seed,
      progressEvery: 100,
      onProgress: ({ iteration, iterations }) => process.stderr.write(`t-SNE ${name}/${layer}: iteration ${iteration}/${iterations}\n`),
      // The gradient on the SIMD kernel: the same map to float64 rounding, several times faster.
      kernels: await kernelModule(),
    });
    const seconds = (performance.now() - started) / 1000;
    const bundle = encodeBundle(
      [
        { name: "indices", shape: [indices.length], data: Uint16Array.from(indices) },
        { name: "embedding", shape: [indices.length, 2], data: Float32Array.from(embedding) },
      ],
      { layer, ...params, kl, seconds },
    );
    await writeFile(join(out, FILE), gzipSync(bundle));
  });
  return readFile(join(dir, FILE));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
