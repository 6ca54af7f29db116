// The probes page's tables: every input of one layer with its task, SVM and control accuracy and
// selectivity, and one line per layer of a model comparing its bases and SAE codes.
import type { ProbeFile, ProbeInputResult, ProbeLayerResult } from "../../lib/probes/probe-file.js";
import type { LogisticScores } from "../../lib/probes/probe-input.js";
import { table } from "../report/table.js";

const pct = (x: number | null | undefined, digits = 2) => (typeof x === "number" && Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "–");
const points = (x: number | null | undefined) =>
  typeof x === "number" && Number.isFinite(x) ? `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} pp` : "–";

/** L-BFGS's iterations and, when it ran out of them, that it did. */
export function iterationsText(scores: Pick<LogisticScores, "iterations" | "stop">): string {
  return `${scores.iterations}${scores.stop === "iterations" ? " (the limit)" : ""}`;
}

/** What a reader calls the input: "neurons", "PCA", "ICA", "SAE topk (neurons)". */
export function inputTitle(input: Pick<ProbeInputResult, "id" | "basis" | "sae">): string {
  if (input.sae === null) return input.id === "pca" || input.id === "ica" ? input.id.toUpperCase() : input.id;
  return `SAE ${input.sae}`;
}

function inputRow(input: ProbeInputResult, layer: string) {
  return {
    layer,
    input: inputTitle(input),
    features: input.features,
    "logistic, test": pct(input.logistic.testAccuracy),
    "logistic, train": pct(input.logistic.trainAccuracy),
    "SVM, test": pct(input.svm?.testAccuracy),
    "control task, test": pct(input.control?.testAccuracy),
    selectivity: points(input.selectivity),
    "L-BFGS iterations": iterationsText(input.logistic),
  };
}

/** Every input of `layer`, and the raw pixels for reference. */
export function layerProbeTable(file: ProbeFile, layer: ProbeLayerResult): HTMLElement {
  const rows = [...layer.inputs.map((input) => inputRow(input, layer.layer)), inputRow(file.pixels, "input")];
  return table(rows, { testId: "probe-table" });
}

/** Per layer: the untrained network, the neurons, PCA, ICA and the best SAE code probe. */
export function modelProbeTable(file: ProbeFile): HTMLElement {
  const rows = file.layers.map((layer) => {
    const byId = (id: string) => layer.inputs.find((input) => input.id === id);
    const saes = layer.inputs.filter((input) => input.sae !== null);
    const best = saes.reduce<ProbeInputResult | null>(
      (top, input) => (top === null || input.logistic.testAccuracy > top.logistic.testAccuracy ? input : top),
      null,
    );
    return {
      layer: layer.layer,
      width: layer.width,
      "untrained network": pct(layer.randomInit.testAccuracy),
      neurons: pct(byId("neurons")?.logistic.testAccuracy),
      PCA: pct(byId("pca")?.logistic.testAccuracy),
      ICA: pct(byId("ica")?.logistic.testAccuracy),
      "best SAE codes": best ? `${pct(best.logistic.testAccuracy)} (${best.sae})` : "–",
      "neurons, selectivity": points(byId("neurons")?.selectivity),
    };
  });
  return table(rows, { testId: "probe-model-table" });
}

/** A link that downloads the model's probe file. */
export function probeDownload(href: string, model: string): HTMLAnchorElement {
  const link = document.createElement("a");
  link.href = href;
  link.download = `${model}-probes.json`;
  link.textContent = `data/probes/${model}.json`;
  link.dataset.testid = "probe-download";
  return link;
}
