// summary.json of one model: the comparison numbers (lib/analysis/model-summary.ts) computed at
// build time from its exported weights, so a page comparing a dozen models loads a few kB each.
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { blankPixelMask } from "../training/blank-pixels.js";
import { trainedModel } from "./trained-model.js";
import { networkFromLayersModel, readWeightsBin } from "../../src/lib/network/from-layers-model.js";
import { modelSummary } from "../../src/lib/analysis/predictions/model-summary.js";
import { producerCode } from "../cache/code-files.js";

const FILE = "summary.json";
/** The "garbage" pixels: blank in at least this share of training images. */
export const GARBAGE_BLANK_FRACTION = 0.99;
export async function summaryFile(name: string): Promise<Uint8Array> {
  const { dir: modelDir, dataset } = await trainedModel(name);
  const key = await artifactKey({
    kind: `${name}-summary`,
    datasetChecksum: dataset.checksum,
    config: { model: basename(modelDir), garbage: GARBAGE_BLANK_FRACTION },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const modelJson = JSON.parse(await readFile(join(modelDir, "model.json"), "utf8"));
    const weights = await readFile(join(modelDir, "weights.bin"));
    const network = networkFromLayersModel(
      modelJson,
      readWeightsBin(modelJson, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer),
    );
    const { tf } = await initTrainingBackend();
    const pixels = dataset.rows * dataset.cols;
    const summary = await modelSummary(tf, network, {
      testImages: dataset.test.images,
      testLabels: dataset.test.labels,
      testCount: dataset.test.count,
      classes: dataset.classNames.length,
      garbagePixels: blankPixelMask(dataset.train.images, dataset.train.count, pixels, GARBAGE_BLANK_FRACTION),
    });
    await writeFile(join(out, FILE), JSON.stringify({ name, ...summary, garbageBlankFraction: GARBAGE_BLANK_FRACTION }));
  });
  return readFile(join(dir, FILE));
}
