// Trains the SAEs of one layer's sweep (src/lib/sae/sweep.ts) one after another on the training
// activations, each in the basis it reads; the trainer is src/lib/sae/train.ts.
import type { TF } from "../../src/lib/tf-types.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { saeConfig, type SaeConfig } from "../../src/lib/sae/config.js";
import { trainSae, type TrainingPoint } from "../../src/lib/sae/train.js";
import type { SweepSae } from "../../src/lib/sae/sweep.js";
import type { SaeWeights } from "../../src/lib/sae/weights.js";
import { kernelModule } from "../training/kernels/build-kernels.js";

export interface TrainedSweepSae {
  config: SaeConfig;
  weights: SaeWeights;
  history: TrainingPoint[];
  trainSeconds: number;
}

/** `inputs` are the training activations in the SAE's basis; its width replaces the sweep's dIn (ICA keeps fewer directions). */
export async function trainSweepSae(tf: TF, sae: SweepSae, inputs: ActivationMatrix): Promise<TrainedSweepSae> {
  const config = saeConfig({ ...sae.config, dIn: inputs.cols });
  const started = performance.now();
  // The fused WebAssembly step: the same numbers as the tfjs step (to float32 rounding), several times faster.
  const { weights, history } = await trainSae(tf, inputs, config, {}, { kernels: await kernelModule() });
  return { config, weights, history, trainSeconds: (performance.now() - started) / 1000 };
}
