// The distribution of every value of one activation (all units, all positions) over a set of
// inputs, binned batch by batch so that a conv layer's millions of values never sit in memory.
import type { TF } from "../tf-types.js";
import { histogram, type Histogram, type HistogramOptions } from "../analysis/units/stats.js";
import { checkPositiveInteger } from "../validate-input.js";
import { inputSize, type Network } from "./network.js";
import { checkInputs, defaultInputScale, forwardTo, inputRows, uploadNetwork, type InputArray } from "./tensor-network.js";

export async function valueHistogram(
  tf: TF,
  network: Network,
  inputs: InputArray,
  count: number,
  layer: string,
  bins: HistogramOptions,
  options: { batchSize?: number; betweenBatches?: () => Promise<void> } = {},
): Promise<Histogram> {
  checkInputs(network, inputs, count, "valueHistogram");
  const batchSize = checkPositiveInteger(options.batchSize ?? 500, "valueHistogram: batchSize");
  const size = inputSize(network);
  const scale = defaultInputScale(inputs);
  const model = uploadNetwork(tf, network);
  let total: Histogram | null = null;
  try {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const values = tf.tidy(() => forwardTo(tf, model, inputRows(tf, inputs, start, rows, size, scale), layer));
      let part: Histogram;
      try {
        part = histogram(await values.data<"float32">(), bins);
      } finally {
        values.dispose();
      }
      if (total === null) total = part;
      else for (let b = 0; b < part.counts.length; b++) total.counts[b] += part.counts[b];
      if (options.betweenBatches && start + batchSize < count) await options.betweenBatches();
    }
  } finally {
    model.dispose();
  }
  return total!;
}
