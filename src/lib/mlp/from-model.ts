// Copies the dense layers of a tfjs MLP (named dense_1, ..., logits, as buildMlp names them) into
// plain MlpWeights, e.g. once per epoch during training to record weight snapshots.
import type { LayersModel } from "../tf-types.js";
import { validateMlpWeights, type DenseWeights, type MlpWeights } from "./weights.js";

export async function readMlpWeights(model: LayersModel): Promise<MlpWeights> {
  const dense = model.layers.filter((layer) => layer.getClassName() === "Dense");
  if (dense.length === 0) throw new Error(`readMlpWeights: model "${model.name}" has no Dense layers`);
  const layers: DenseWeights[] = [];
  for (const layer of dense) {
    const [kernel, bias, ...rest] = layer.getWeights();
    if (kernel === undefined || bias === undefined || rest.length > 0 || kernel.rank !== 2) {
      throw new Error(`readMlpWeights: layer "${layer.name}" must hold a 2-D kernel and a bias, found ${layer.getWeights().length} weight tensors`);
    }
    const [inputSize, units] = kernel.shape;
    // Copies: the backend may hand out its own storage, which later training would overwrite.
    const [kernelValues, biasValues] = await Promise.all([kernel.data<"float32">(), bias.data<"float32">()]);
    layers.push({ name: layer.name, inputSize, units, kernel: Float32Array.from(kernelValues), bias: Float32Array.from(biasValues) });
  }
  const weights = { layers };
  validateMlpWeights(weights, `readMlpWeights: model "${model.name}"`);
  return weights;
}
