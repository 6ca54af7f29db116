// The network runtime's description of a trained model, read from its artifact folder
// (model.json + weights.bin, as trained-model.ts writes them).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { networkFromLayersModel, readWeightsBin } from "../../src/lib/network/from-layers-model.js";
import type { Network } from "../../src/lib/network/network.js";

export async function trainedNetwork(modelDir: string): Promise<Network> {
  const modelJsonPath = join(modelDir, "model.json");
  const modelJson = JSON.parse(await readFile(modelJsonPath, "utf8"));
  const weights = await readFile(join(modelDir, "weights.bin"));
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return networkFromLayersModel(modelJson, readWeightsBin(modelJson, buffer, join(modelDir, "weights.bin")), modelJsonPath);
}
