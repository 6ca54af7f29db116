// One SAE's metrics as the sweep file stores them and the page shows them: its evaluation on the
// layer's activations, and the network's numbers with its reconstruction spliced in. The build's
// sweep and the page's live SAE both go through here, so the two are computed one way.
import type { SaeEvaluation } from "./evaluate.js";
import { lossRecovered } from "./metrics.js";
import type { SweepMetrics } from "./sweep-file.js";

/** The network on the layer's test inputs as it is, with the layer zeroed, and with it set to its mean. */
export interface LayerBaselines {
  originalAccuracy: number;
  originalCrossEntropy: number;
  zeroAblationCrossEntropy: number;
  meanAblationCrossEntropy: number;
}

export function sweepMetrics(evaluation: SaeEvaluation, spliced: { accuracy: number; crossEntropy: number }, baselines: LayerBaselines): SweepMetrics {
  const { edges, counts, dead } = evaluation.densityHistogram;
  return {
    l0: evaluation.l0,
    fractionVarianceExplained: evaluation.fractionVarianceExplained,
    normalizedMse: evaluation.normalizedMse,
    meanSquaredError: evaluation.meanSquaredError,
    dead: evaluation.dead,
    dense: evaluation.dense,
    densityHistogram: { edges: Array.from(edges), counts: Array.from(counts), dead },
    shrinkage: evaluation.shrinkage,
    relativeReconstructionBias: evaluation.relativeReconstructionBias,
    accuracy: spliced.accuracy,
    crossEntropy: spliced.crossEntropy,
    ...baselines,
    lossRecoveredZero: lossRecovered(baselines.originalCrossEntropy, spliced.crossEntropy, baselines.zeroAblationCrossEntropy),
    lossRecoveredMean: lossRecovered(baselines.originalCrossEntropy, spliced.crossEntropy, baselines.meanAblationCrossEntropy),
  };
}
