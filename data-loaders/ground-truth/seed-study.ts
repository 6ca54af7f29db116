// The seed study of one scored layer: each SAE the probes read (one per architecture and basis:
// 4x the layer's width, the sparser setting) retrained with more seeds on the sweep's training
// activations and config, each run measured the same way (variance explained, L0, dead latents
// on the evaluation set; the ground-truth scores on the test images), and the runs' decoders
// compared pairwise (PW-MCC) for how stable the learned dictionary is.
import type { TF } from "../../src/lib/tf-types.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { toBasis } from "../../src/lib/sae/basis.js";
import { activeAbove } from "../../src/lib/sae/config.js";
import { evaluateSae } from "../../src/lib/sae/evaluate.js";
import type { SweepFile } from "../../src/lib/sae/sweep-file.js";
import { trainingFailure } from "../../src/lib/sae/training-failure.js";
import type { SaeWeights } from "../../src/lib/sae/weights.js";
import { probedSaes } from "../../src/lib/probes/probed-saes.js";
import { activeValues } from "../../src/lib/ground-truth/basis-report.js";
import { explainUnits, summarizeExplanations, type ExplanationInput } from "../../src/lib/ground-truth/explanations.js";
import type { SeedStudy, SeedRun } from "../../src/lib/ground-truth/report-file.js";
import { decoderStability } from "../../src/lib/planted/recovery.js";
import { trainSweepSae } from "../sae/train-sweep.js";
import type { LayerActivations } from "../sae/layer-activations.js";

/** Seeds added to each SAE's own (the sweep trained every SAE with seed 1): 5 runs in all. */
export const EXTRA_SEEDS = [2, 3, 4, 5] as const;

const decoder = (w: SaeWeights): ActivationMatrix => ({ rows: w.dSae, cols: w.dIn, data: w.W_dec });

export async function seedStudy(tf: TF, sweep: SweepFile, activations: LayerActivations, concepts: ExplanationInput, threshold: number): Promise<SeedStudy[]> {
  if (activations.evaluation.rows !== concepts.labels.length) {
    throw new Error(
      `seed study ${sweep.model}/${sweep.layer}: ${activations.evaluation.rows} evaluation rows, but the scores need one per test image (${concepts.labels.length})`,
    );
  }
  const studies: SeedStudy[] = [];
  for (const sae of probedSaes(sweep)) {
    const inputs = sae.fittedBasis ? toBasis(sae.fittedBasis, activations.train) : activations.train;
    const runs: SeedRun[] = [];
    const decoders: ActivationMatrix[] = [];
    const measure = (seed: number, weights: SaeWeights, history: Parameters<typeof trainingFailure>[0]["history"]) => {
      const evaluation = evaluateSae(tf, weights, activations.evaluation, { basis: sae.fittedBasis });
      const summary = summarizeExplanations(explainUnits(activeValues(evaluation.codes, activeAbove(sae.config.architecture)), concepts), threshold);
      const failure = trainingFailure({
        config: sae.config,
        history,
        metrics: { ...sae.metrics, fractionVarianceExplained: evaluation.fractionVarianceExplained, dead: evaluation.dead },
      });
      runs.push({
        seed,
        fractionVarianceExplained: evaluation.fractionVarianceExplained,
        l0: evaluation.l0,
        dead: evaluation.dead.length,
        medianScore: summary.medianScore,
        shareExplained: summary.shareExplained,
        ...(failure ? { failure } : {}),
      });
      decoders.push(decoder(weights));
    };
    measure(sae.config.seed, sae.weights, sae.history);
    for (const seed of EXTRA_SEEDS) {
      const trained = await trainSweepSae(tf, { id: sae.id, basis: sae.basis, config: { ...sae.config, seed } }, inputs);
      measure(seed, trained.weights, trained.history);
    }
    const stability: number[] = [];
    for (let a = 0; a < decoders.length; a++) for (let b = a + 1; b < decoders.length; b++) stability.push(decoderStability(decoders[a], decoders[b]).pwMcc);
    studies.push({ id: sae.id, architecture: sae.config.architecture, basis: sae.basis, runs, stability });
  }
  return studies;
}
