// Re-train one probe live: the reader picks the input (a layer in a basis, or an SAE's codes), the
// regularization strength and how many columns to keep; the page computes the inputs on its own
// backend from the model and SAE files, then trains the logistic probe exactly as the build did.
import type { TF } from "../../lib/tf-types.js";
import type { ActivationMatrix } from "../../lib/analysis/types.js";
import type { ImageSet } from "../../lib/dataset-files.js";
import type { Network } from "../../lib/network/network.js";
import type { SweepFile } from "../../lib/sae/sweep-file.js";
import { probeFeatures, type ProbeInputSource } from "../../lib/probes/features.js";
import { basisFromJson, type ProbeInputResult, type ProbeLayerResult } from "../../lib/probes/probe-file.js";
import { logisticScores, type LogisticScores } from "../../lib/probes/probe-input.js";
import { rankFeatures, selectColumns } from "../../lib/probes/feature-ranking.js";
import { PROBE_SETUP } from "../../lib/probes/setup.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { CancelledError } from "../../runtime/worker-task.js";
import { textControl, type Control } from "../controls.js";
import { heatmap } from "../heatmap.js";
import { perClassAccuracyChart } from "../accuracy-bars.js";
import { setTestId } from "../chart-helpers.js";
import { table } from "../report/table.js";
import { iterationsText } from "./tables.js";

export interface LiveProbeControls {
  l2: Control<string | number>;
  k: Control<string | number>;
}

/** The largest regularization strength the page accepts (far past where every weight is ~0). */
const MAX_L2 = 100;

export function liveProbeControls(features: number): LiveProbeControls {
  return {
    l2: textControl({ label: "Regularization λ", value: String(PROBE_SETUP.logistic.l2), numeric: true, key: "l2" }),
    k: textControl({ label: "Columns kept (k)", value: String(features), numeric: true, key: "k" }),
  };
}

export type LiveProbeSettings = { value: { l2: number; k: number }; error: null } | { value: null; error: string };

/** Checks what the reader typed; the message names the box and the value. */
export function checkLiveProbe(l2: unknown, k: unknown, features: number): LiveProbeSettings {
  const strength = checkNumberInput(l2, { label: "Regularization λ", min: 0, max: MAX_L2 });
  if (strength.error !== null) return { value: null, error: strength.error };
  const kept = checkNumberInput(k, { label: "Columns kept (k)", min: 1, max: features, integer: true });
  if (kept.error !== null) return { value: null, error: kept.error };
  return { value: { l2: strength.value, k: kept.value }, error: null };
}

/** Where the values of input `id` of `layer` come from: the probe file's bases, the sweep's SAEs. */
export function liveSource(layer: ProbeLayerResult, sweep: SweepFile, id: string): ProbeInputSource {
  if (id === "neurons") return { layer: layer.layer, basis: null, sae: null };
  const basis = layer.bases.find((b) => b.name === id);
  if (basis) return { layer: layer.layer, basis: basisFromJson(basis, `${layer.layer} ${id} basis`), sae: null };
  const sae = sweep.saes.find((s) => s.id === id);
  if (!sae) throw new Error(`no probe input "${id}" on ${layer.layer}; it has ${layer.inputs.map((i) => i.id).join(", ")}`);
  return { layer: layer.layer, basis: sae.fittedBasis, sae: sae.weights };
}

export interface LiveFeatures {
  train: ActivationMatrix;
  test: ActivationMatrix;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
  seconds: number;
}

/** A pause that also stops the work once the cell that asked for it is invalidated. */
export function cancellable(pause: () => Promise<void>, invalidation: Promise<unknown>): () => Promise<void> {
  let cancelled = false;
  void invalidation.then(() => (cancelled = true));
  return async () => {
    await pause();
    if (cancelled) throw new CancelledError();
  };
}

export async function liveFeatures(
  tf: TF,
  network: Network,
  source: ProbeInputSource,
  trainSample: ImageSet,
  testSet: ImageSet,
  options: { batchSize: number; pause: () => Promise<void> },
): Promise<LiveFeatures> {
  const started = performance.now();
  const train = await probeFeatures(tf, network, trainSample.images, trainSample.count, source, options);
  const test = await probeFeatures(tf, network, testSet.images, testSet.count, source, options);
  return { train, test, trainLabels: trainSample.labels, testLabels: testSet.labels, seconds: (performance.now() - started) / 1000 };
}

export interface LiveProbe {
  settings: { l2: number; k: number };
  /** The columns kept, by ANOVA F on the training rows, largest first. */
  columns: number[];
  scores: LogisticScores;
  /** [classes × k] on the standardized columns. */
  weights: Float64Array;
  /** Where the objective ran: the fused wasm kernels, or the page's tfjs backend. */
  ranOn: string;
}

/** kernels: the compiled training kernels, to run the objective fused on WebAssembly (the page passes them on the wasm backend). */
export async function trainLiveProbe(
  tf: TF,
  features: LiveFeatures,
  settings: { l2: number; k: number },
  classes: number,
  pause: () => Promise<void>,
  kernels?: WebAssembly.Module,
): Promise<LiveProbe> {
  const all = features.train.cols === settings.k;
  const columns = all
    ? Array.from({ length: settings.k }, (_, i) => i)
    : Array.from(rankFeatures(features.train, features.trainLabels, classes).subarray(0, settings.k));
  const pick = (x: ActivationMatrix) => (all ? x : selectColumns(x, columns));
  const { probe, scores } = await logisticScores(
    tf,
    { x: pick(features.train), labels: features.trainLabels, control: null },
    { x: pick(features.test), labels: features.testLabels, control: null },
    { classes, l2: settings.l2, pause, kernels },
  );
  return { settings, columns, scores, weights: probe.weights, ranOn: kernels ? "fused wasm kernels" : tf.getBackend() };
}

/** The live probe beside the build's: accuracies, time, its weights and per-class accuracy. */
export function liveProbeView(
  live: LiveProbe,
  features: LiveFeatures,
  built: ProbeInputResult,
  classNames: readonly string[],
  options: { width?: number } = {},
): HTMLElement {
  const box = document.createElement("div");
  box.dataset.testid = "probe-live";
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const { scores, settings } = live;
  const rows = [
    {
      probe: `live (λ = ${settings.l2}, k = ${settings.k})`,
      "test accuracy": pct(scores.testAccuracy),
      "train accuracy": pct(scores.trainAccuracy),
      "L-BFGS iterations": iterationsText(scores),
      seconds: `${scores.seconds.toFixed(2)} s on ${live.ranOn} (inputs: ${features.seconds.toFixed(2)} s)`,
    },
    {
      probe: `build (λ = ${PROBE_SETUP.logistic.l2}, k = ${built.features})`,
      "test accuracy": pct(built.logistic.testAccuracy),
      "train accuracy": pct(built.logistic.trainAccuracy),
      "L-BFGS iterations": iterationsText(built.logistic),
      seconds: `${built.logistic.seconds.toFixed(2)} s (Node, fused wasm kernels)`,
    },
  ];
  box.append(table(rows, { testId: "probe-live-table" }));
  const weights = heatmap({
    rows: classNames.length,
    cols: settings.k,
    data: live.weights,
    rowLabels: classNames,
    colLabels: live.columns.map(String),
    xLabel: "column kept (largest F first)",
    yLabel: "class",
    scheme: "diverging",
    valueLabel: "weight on the standardized input",
    width: options.width,
  });
  box.append(setTestId(weights, "probe-live-weights"));
  box.append(
    perClassAccuracyChart(
      { classNames, baseline: built.logistic.perClass, modified: scores.perClass },
      { width: options.width, baselineLabel: "build", modifiedLabel: "live" },
    ) as Element,
  );
  return box;
}
