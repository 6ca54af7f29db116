// The intervention runner a steering or logit-effect cell uses, with the unmodified network's
// predictions on the whole test set; its tensors are freed when the page cell re-runs.
import type { ImageSet } from "../../lib/dataset-files.js";
import { createInterventionRunner, type InterventionRunner } from "../../lib/network/intervention.js";
import { confusionMatrix, perClassAccuracy } from "../../lib/analysis/predictions/confusion.js";
import type { ReportContext } from "../report/context.js";

export interface SteeringRunner {
  runner: InterventionRunner;
  predicted: Uint8Array;
  perClass: Float64Array;
}

export async function steeringRunner(ctx: ReportContext, testSet: ImageSet, invalidation: Promise<unknown>): Promise<SteeringRunner> {
  const runner = createInterventionRunner(ctx.tf, ctx.model.network, testSet.images, testSet.count, { batchSize: ctx.batchSize, betweenBatches: ctx.pause });
  void invalidation.then(() => runner.dispose());
  const predicted = await runner.baseline();
  return { runner, predicted, perClass: perClassAccuracy(confusionMatrix(predicted, testSet.labels, ctx.classNames.length)) };
}
