// Browser glue: fetches one model's build outputs through Framework's FileAttachments and decodes
// them (src/lib/network/model-files.ts). Which files exist for which model is generated from the
// model registry into src/generated/model-files.ts, since FileAttachment paths must be literal.
import type { FileAttachmentHandle } from "observablehq:stdlib";
import { decodeModelFiles, type DecodedModel } from "../lib/network/model-files.js";
import { decodeBundle, type DecodedBundle } from "../lib/codecs/tensor-bundle.js";
import { gunzipIfNeeded } from "../lib/codecs/gzip.js";
import { decodeImageSet, type ImageSet } from "../lib/dataset-files.js";

export interface ModelAttachments {
  name: string;
  modelJson: FileAttachmentHandle;
  weights: FileAttachmentHandle;
  history: FileAttachmentHandle;
  snapshots: FileAttachmentHandle;
  /** The comparison numbers (lib/analysis/model-summary.ts), computed at build time. */
  summary: FileAttachmentHandle;
  /** Build-time t-SNE map of the last hidden layer, for models that have one. */
  tsne?: FileAttachmentHandle;
}

export interface LoadedModel extends DecodedModel {
  tsne: DecodedBundle | null;
  /** Addresses of model.json and weights.bin, for download links. */
  downloads: { modelJson: string; weights: string };
}

export async function loadModel(files: ModelAttachments): Promise<LoadedModel> {
  const [modelJson, weightsBin, snapshotsBin, record, tsneBin, modelJsonUrl, weightsUrl] = await Promise.all([
    files.modelJson.json(),
    files.weights.arrayBuffer(),
    files.snapshots.arrayBuffer(),
    files.history.json(),
    files.tsne?.arrayBuffer() ?? null,
    files.modelJson.url(),
    files.weights.url(),
  ]);
  const decoded = await decodeModelFiles({ name: files.name, modelJson, weightsBin, snapshotsBin, record });
  const tsne = tsneBin ? decodeBundle(await gunzipIfNeeded(tsneBin), `model "${files.name}": tsne.bin`) : null;
  return { ...decoded, tsne, downloads: { modelJson: modelJsonUrl, weights: weightsUrl } };
}

export async function loadTestSet(file: FileAttachmentHandle): Promise<ImageSet> {
  return decodeImageSet(await file.arrayBuffer());
}
