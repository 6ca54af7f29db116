// The downstream metrics of a layer's SAEs (src/lib/sae/downstream.ts): the classifier's test
// accuracy and cross-entropy on all test images with the layer replaced by each SAE's
// reconstruction, against the network as it is and with the layer zero- and mean-ablated (the
// mean of the training activations), computed once per layer.
import type { TF } from "../../src/lib/tf-types.js";
import type { Dataset } from "../dataset/read-dataset.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { unitMeans } from "../../src/lib/analysis/units/stats.js";
import type { Network } from "../../src/lib/network/network.js";
import { uploadNetwork } from "../../src/lib/network/tensor-network.js";
import { uploadBasis, type FittedBasis } from "../../src/lib/sae/basis.js";
import { constantReplacement, createSpliceRunner, saeReplacement } from "../../src/lib/sae/downstream.js";
import { uploadSae } from "../../src/lib/sae/encode.js";
import type { LayerBaselines } from "../../src/lib/sae/sweep-metrics.js";
import type { SaeWeights } from "../../src/lib/sae/weights.js";

/** The network's numbers with an SAE's reconstruction in place of the layer. */
export interface SaeDownstream {
  accuracy: number;
  crossEntropy: number;
}

export interface DownstreamRunner {
  baselines: LayerBaselines;
  /** Splices the SAE's reconstruction (through its basis, if any) into the layer. */
  measure(weights: SaeWeights, basis: FittedBasis | null): Promise<SaeDownstream>;
  dispose(): void;
}

export async function downstreamRunner(tf: TF, network: Network, layer: string, dataset: Dataset, train: ActivationMatrix): Promise<DownstreamRunner> {
  const model = uploadNetwork(tf, network);
  const { images, labels, count } = dataset.test;
  const splice = createSpliceRunner(tf, model, layer, images, labels, count);
  const classify = splice.classify;
  const withConstant = async (values: Float32Array) => {
    const tensor = tf.tensor1d(values);
    try {
      return await classify(constantReplacement(tf, tensor));
    } finally {
      tensor.dispose();
    }
  };
  try {
    const original = await classify(null);
    const zero = await withConstant(new Float32Array(train.cols));
    const mean = await withConstant(Float32Array.from(unitMeans(train)));
    const baselines = {
      originalAccuracy: original.accuracy,
      originalCrossEntropy: original.crossEntropy,
      zeroAblationCrossEntropy: zero.crossEntropy,
      meanAblationCrossEntropy: mean.crossEntropy,
    };
    return {
      baselines,
      async measure(weights, basis) {
        const sae = uploadSae(tf, weights);
        const uploadedBasis = basis ? uploadBasis(tf, basis) : null;
        try {
          const spliced = await classify(saeReplacement(tf, sae, uploadedBasis));
          return { accuracy: spliced.accuracy, crossEntropy: spliced.crossEntropy };
        } finally {
          sae.dispose();
          uploadedBasis?.dispose();
        }
      },
      dispose() {
        splice.dispose();
        model.dispose();
      },
    };
  } catch (error) {
    splice.dispose();
    model.dispose();
    throw error;
  }
}
