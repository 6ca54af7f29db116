// Every weight of a model as plain named arrays, e.g. once per epoch for the weight snapshots from
// which pages recompute any epoch's activations, whatever the architecture (dense kernels and
// biases, conv kernels, LayerNorm's gamma and beta).
import type { LayersModel } from "../../src/lib/tf-types.js";

export interface NamedWeight {
  /** The name model.json gives it, e.g. "dense_1/kernel" or "layernorm_1/gamma". */
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The model's weights in its own order (model.getWeights(), as saved), copied out of the backend. */
export async function readNamedWeights(model: LayersModel): Promise<NamedWeight[]> {
  return Promise.all(
    model.weights.map(async (weight) => {
      const tensor = weight.read();
      if (tensor.dtype !== "float32")
        throw new Error(`readNamedWeights: weight "${weight.originalName}" of model "${model.name}" is ${tensor.dtype}; expected float32`);
      // originalName, not name: tfjs suffixes `name` ("dense_1/kernel_1") when models share layer names.
      // Float32Array.from copies: the backend may hand out its own storage, which training overwrites.
      return { name: weight.originalName, shape: [...tensor.shape], data: Float32Array.from(await tensor.data<"float32">()) };
    }),
  );
}
