// Trained models leave the build as the standard tfjs layers format (model.json + weights.bin),
// which tf.loadLayersModel reads in the browser and loadLayersModelFromFiles reads in Node.
import * as tf from "@tensorflow/tfjs";
import type { LayersModel, io } from "@tensorflow/tfjs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TF } from "../../src/lib/tf-types.js";

export const WEIGHTS_FILE = "weights.bin";
export const MODEL_FILE = "model.json";

export interface SerializedLayersModel {
  /** The model.json contents; its weightsManifest points at "weights.bin". */
  modelJson: io.ModelJSON;
  weightsBin: Uint8Array;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Topology and weights of `model` in memory (no timestamps, so equal models give equal bytes). */
export async function serializeLayersModel(model: LayersModel): Promise<SerializedLayersModel> {
  let captured: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured === undefined || captured.modelTopology === undefined || captured.weightSpecs === undefined) {
    throw new Error(`serializeLayersModel: model "${model.name}" saved no topology or weights`);
  }
  const weightData = captured.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(captured.weightData);
  const modelJson: io.ModelJSON = {
    modelTopology: captured.modelTopology,
    format: "layers-model",
    generatedBy: captured.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: captured.weightSpecs }],
  };
  return { modelJson, weightsBin: new Uint8Array(weightData) };
}

/** Writes `<dir>/model.json` and `<dir>/weights.bin` (creating dir) and returns their paths. */
export async function writeLayersModel(model: LayersModel, dir: string): Promise<{ modelJsonPath: string; weightsPath: string }> {
  const { modelJson, weightsBin } = await serializeLayersModel(model);
  await mkdir(dir, { recursive: true });
  const modelJsonPath = join(dir, MODEL_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  await writeFile(weightsPath, weightsBin);
  await writeFile(modelJsonPath, JSON.stringify(modelJson));
  return { modelJsonPath, weightsPath };
}

/** Loads a model from a model.json object and its (single) weights file, as written above. */
export async function loadLayersModelFromFiles(tfApi: TF, modelJson: unknown, weightsBin: Uint8Array): Promise<LayersModel> {
  const json = modelJson as Partial<io.ModelJSON> | null;
  if (json === null || typeof json !== "object" || json.modelTopology == null || !Array.isArray(json.weightsManifest)) {
    throw new Error("loadLayersModelFromFiles: modelJson must be a tfjs model.json object with modelTopology and weightsManifest");
  }
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  let expectedBytes = 0;
  for (const spec of specs) {
    const perValue = BYTES_PER_VALUE[spec.dtype];
    if (perValue === undefined || spec.quantization !== undefined) {
      throw new Error(
        `loadLayersModelFromFiles: weight "${spec.name}" has dtype ${spec.dtype}${spec.quantization ? " (quantized)" : ""}; only unquantized float32/int32/bool are supported`,
      );
    }
    expectedBytes += perValue * spec.shape.reduce((a, b) => a * b, 1);
  }
  if (weightsBin.byteLength !== expectedBytes) {
    throw new Error(`loadLayersModelFromFiles: weights hold ${weightsBin.byteLength} bytes but model.json's manifest describes ${expectedBytes}`);
  }
  // A copy, so the model does not depend on (or alias) the caller's buffer.
  const buffer = weightsBin.slice().buffer;
  const artifacts = await tfApi.io.getModelArtifactsForJSON(json as io.ModelJSON, async () => [specs, buffer]);
  return tfApi.loadLayersModel(tfApi.io.fromMemory(artifacts));
}
