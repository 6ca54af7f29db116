// The page's written reading of one layer's probes: every number is computed here from the probe
// file, so the text stays true for any model, layer and dataset.
import type { ProbeFile, ProbeInputResult, ProbeLayerResult } from "../../lib/probes/probe-file.js";
import { inputTitle } from "./tables.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pp = (x: number) => `${(100 * Math.abs(x)).toFixed(1)} pp`;

function bestOf(inputs: ProbeInputResult[], score: (input: ProbeInputResult) => number): ProbeInputResult | null {
  return inputs.reduce<ProbeInputResult | null>((top, input) => (top === null || score(input) > score(top) ? input : top), null);
}

/** The accuracy of the sparse probe with k columns, or NaN where none was run. */
function sparseAt(input: ProbeInputResult, k: number): number {
  return input.sparse?.find((s) => s.k === k)?.testAccuracy ?? NaN;
}

/** The smallest k whose sparse probe is within `gap` of the full probe. */
export function columnsNeeded(input: ProbeInputResult, gap = 0.01): number | null {
  const within = (input.sparse ?? []).filter((s) => s.testAccuracy >= input.logistic.testAccuracy - gap);
  return within.length === 0 ? null : Math.min(...within.map((s) => s.k));
}

/** The first epoch at which the probe has gained half of what it gains from epoch 0 to the last. */
export function halfwayEpoch(epochs: ProbeLayerResult["epochs"]): number | null {
  if (epochs.length < 2) return null;
  const [first, last] = [epochs[0].testAccuracy, epochs[epochs.length - 1].testAccuracy];
  return epochs.find((e) => e.testAccuracy - first >= (last - first) / 2)?.epoch ?? null;
}

/** Paragraphs (HTML) reading the probes of `layer`. */
export function probeReading(file: ProbeFile, layer: ProbeLayerResult): string[] {
  const neurons = layer.inputs.find((input) => input.id === "neurons");
  if (!neurons) return [];
  const saes = layer.inputs.filter((input) => input.sae !== null);
  const bases = layer.inputs.filter((input) => input.sae === null);
  const what = layer.spatial ? `the ${layer.width} channels of ${layer.layer} (each averaged over the map)` : `the ${layer.width} neurons of ${layer.layer}`;
  const paragraphs: string[] = [];
  paragraphs.push(
    `<strong>Where the digit is.</strong> A logistic probe reads the digit from ${what} with ${pct(neurons.logistic.testAccuracy)} test accuracy, ` +
      `against ${pct(file.pixels.logistic.testAccuracy)} from the ${file.pixels.features} raw pixels and ${pct(layer.randomInit.testAccuracy)} from the same layer of the untrained network. ` +
      `A linear SVM on the same inputs scores ${pct(neurons.svm?.testAccuracy ?? NaN)}.`,
  );
  if (neurons.control) {
    paragraphs.push(
      `<strong>Controls.</strong> On the control task (${file.control.clusters} k-means clusters of the pixels, each a random digit), the probe on the neurons scores ` +
        `${pct(neurons.control.testAccuracy)}, a selectivity of ${(100 * (neurons.selectivity ?? NaN)).toFixed(1)} pp; the pixels, where a linear probe can follow the clusters themselves, ` +
        `score ${pct(file.pixels.control?.testAccuracy ?? NaN)} on it. A layer that kept only what the digit needs would score near chance (10%) on the control task.`,
    );
  }
  const best = bestOf(saes, (input) => input.logistic.testAccuracy);
  const worst = bestOf(saes, (input) => -input.logistic.testAccuracy);
  if (best && worst) {
    const change = best.logistic.testAccuracy - neurons.logistic.testAccuracy;
    paragraphs.push(
      `<strong>SAE codes against neurons.</strong> The best of the ${saes.length} SAEs' codes, <code>${best.sae}</code> (${best.features} latents), give ${pct(best.logistic.testAccuracy)}, ` +
        `${pp(change)} ${change >= 0 ? "above" : "below"} the neurons; the worst, <code>${worst.sae}</code>, ${pct(worst.logistic.testAccuracy)}. ` +
        `A sparse code that keeps the class information keeps it linearly readable; one that loses accuracy here has thrown some of it away.`,
    );
  }
  const oneColumn = bestOf(layer.inputs, (input) => sparseAt(input, 1));
  const neededNeurons = columnsNeeded(neurons);
  const neededBest = bestOf(
    layer.inputs.filter((input) => columnsNeeded(input) !== null),
    (input) => -(columnsNeeded(input) as number) / input.features,
  );
  if (oneColumn) {
    paragraphs.push(
      `<strong>How concentrated.</strong> With one column, the best single neuron (by ANOVA F) gives ${pct(sparseAt(neurons, 1))}; the best single column of any basis is ` +
        `${inputTitle(oneColumn)}'s, at ${pct(sparseAt(oneColumn, 1))}. The neurons need ${neededNeurons ?? "all"} of ${neurons.features} columns to come within 1 pp of their full probe` +
        (neededBest ? `; ${inputTitle(neededBest)} needs ${columnsNeeded(neededBest)} of ${neededBest.features}.` : ".") +
        ` ${bases.length} bases and ${saes.length} SAEs were probed this way.`,
    );
  }
  const halfway = halfwayEpoch(layer.epochs);
  if (layer.epochs.length > 1) {
    const last = layer.epochs[layer.epochs.length - 1];
    paragraphs.push(
      `<strong>Over training.</strong> The probe on ${layer.layer}'s neurons goes from ${pct(layer.epochs[0].testAccuracy)} at initialization to ${pct(last.testAccuracy)} after epoch ${last.epoch}` +
        (halfway !== null ? `, with half of that gain by epoch ${halfway}.` : "."),
    );
  }
  return paragraphs;
}

export function readProbes(file: ProbeFile, layer: ProbeLayerResult): HTMLElement {
  const box = document.createElement("div");
  box.dataset.testid = "probe-reading";
  for (const html of probeReading(file, layer)) {
    const p = document.createElement("p");
    p.innerHTML = html;
    box.append(p);
  }
  return box;
}
