// The plain multi-layer perceptrons the site studies, as architecture specs: dense_i
// (pre-activation) -> relu_i per hidden layer, then logits. Analyses look layers up by these names.
import type { LayersModel, TF } from "../tf-types.js";
import { buildModel, type ArchitectureSpec } from "./architecture.js";

export interface MlpSpec {
  /** Length of the flat input vector (784 for MNIST). */
  inputSize: number;
  /** Units of each hidden layer, input side first, e.g. [32, 16]. */
  hidden: number[];
  classes: number;
  /** Seeds the weight initialization: the same spec always gives the same initial weights. */
  seed: number;
}

/** [dense u, relu] per hidden layer. */
export function mlpArchitecture(spec: MlpSpec): ArchitectureSpec {
  if (!Array.isArray(spec.hidden)) throw new Error(`mlpArchitecture: spec.hidden must be a list of layer sizes, got ${JSON.stringify(spec.hidden)}`);
  return { layers: spec.hidden.flatMap((units) => [{ type: "dense", units }, { type: "relu" }] as const), seed: spec.seed };
}

/** The MLP of `spec`, named e.g. "mlp_784_32_16_10"; see buildModel for the initialization. */
export function buildMlp(tf: TF, spec: MlpSpec): LayersModel {
  return buildModel(tf, mlpArchitecture(spec), { inputSize: spec.inputSize, classes: spec.classes });
}
