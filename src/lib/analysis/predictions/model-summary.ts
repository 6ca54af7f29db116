// The numbers that compare models side by side, computed the same way for every model from its
// final weights: accuracy, dead units, each unit's best class selectivity, how well the classes
// cluster in the last hidden layer, and how much of a saliency map falls on blank pixels.
import type { TF } from "../../tf-types.js";
import type { Network } from "../../network/network.js";
import { hiddenActivationNames, reluActivationNames } from "../../network/network.js";
import { networkUnits } from "../../network/units.js";
import { logitInputGradients } from "../../network/gradients.js";
import { accuracy, argmaxRows } from "./confusion.js";
import { classifyUnits } from "../units/dead-units.js";
import { selectivity } from "../units/selectivity.js";
import { selectRows } from "../embeddings/embedding-subsets.js";
import { silhouetteScore } from "../embeddings/silhouette.js";
import { backgroundMass } from "./saliency-mass.js";
import { mulberry32, sampleIndices } from "../../random.js";

export interface LayerSummary {
  layer: string;
  units: number;
  dead: number;
  nearlyDead: number;
  /** Per unit: its largest selectivity S over the classes (NaN for a dead unit). */
  bestSelectivity: number[];
}

export interface ModelSummary {
  testAccuracy: number;
  /** Every ReLU layer, input side first. */
  layers: LayerSummary[];
  /** Silhouette of the true classes in the last hidden layer, on a seeded sample of test images. */
  silhouette: { layer: string; images: number; value: number };
  /** Share of |d logit_predicted / d pixel| on blank pixels, mean over a seeded sample. */
  saliency: { images: number; backgroundMass: number; garbageMass: number; garbagePixels: number };
}

export interface SummaryInputs {
  testImages: Uint8Array;
  testLabels: Uint8Array;
  testCount: number;
  classes: number;
  /** 1 for pixels blank in at least 99% of training images (the "garbage" pixels). */
  garbagePixels: Uint8Array;
  /** Sample sizes for the silhouette and the saliency masses (default 1000 each). */
  sample?: number;
}

export const SUMMARY_SAMPLE_SEED = 31;

export async function modelSummary(tf: TF, network: Network, inputs: SummaryInputs): Promise<ModelSummary> {
  const { testImages, testLabels, testCount, classes, garbagePixels } = inputs;
  const relu = reluActivationNames(network);
  const hidden = hiddenActivationNames(network);
  const lastHidden = hidden[hidden.length - 1];
  const acts = await networkUnits(tf, network, testImages, testCount, { names: [...new Set([...relu, lastHidden, "logits"])] });
  const predicted = argmaxRows(acts.logits.mean.data, testCount, classes);
  const layers = relu.map((layer): LayerSummary => {
    // A conv channel: active when any position is (its spatial max), valued by its spatial mean.
    const units = acts[layer].mean;
    const status = classifyUnits(acts[layer].max);
    const s = selectivity(units, testLabels, classes);
    const bestSelectivity = Array.from({ length: units.cols }, (_, u) => {
      if (status.status[u] === "dead") return NaN;
      let best = -Infinity;
      for (let c = 0; c < classes; c++) best = Math.max(best, s.data[c * units.cols + u]);
      return best;
    });
    return { layer, units: units.cols, dead: status.dead, nearlyDead: status.nearlyDead, bestSelectivity };
  });
  const size = Math.min(inputs.sample ?? 1000, testCount);
  const rows = sampleIndices(testCount, size, mulberry32(SUMMARY_SAMPLE_SEED));
  const sampleLabels = Uint8Array.from(rows, (i) => testLabels[i]);
  const representation = selectRows(acts[lastHidden].mean, rows);
  const pixels = testImages.length / testCount;
  const sampleImages = new Uint8Array(size * pixels);
  rows.forEach((row, i) => sampleImages.set(testImages.subarray(row * pixels, (row + 1) * pixels), i * pixels));
  const gradients = await logitInputGradients(
    tf,
    network,
    sampleImages,
    size,
    Uint8Array.from(rows, (i) => predicted[i]),
  );
  return {
    testAccuracy: accuracy(predicted, testLabels),
    layers,
    silhouette: { layer: lastHidden, images: size, value: silhouetteScore(representation.data, representation.rows, representation.cols, sampleLabels) },
    saliency: {
      images: size,
      backgroundMass: backgroundMass(gradients, size, pixels, (n, p) => sampleImages[n * pixels + p] === 0).mean,
      garbageMass: backgroundMass(gradients, size, pixels, (_, p) => garbagePixels[p] === 1).mean,
      garbagePixels: garbagePixels.reduce((a, b) => a + b, 0),
    },
  };
}
