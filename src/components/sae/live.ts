// Train an SAE live: the reader picks the architecture, the dictionary size, the sparsity and the
// steps; a Web Worker trains it on the layer's training rows (cancelled when an input changes)
// while the page shows progress, the loss and L0 curves; then its metrics are computed on the
// same evaluation rows and test images as the sweep's, so it joins the same charts and table.
import * as Plot from "@observablehq/plot";
import type { TF } from "../../lib/tf-types.js";
import type { ImageSet } from "../../lib/dataset-files.js";
import type { Network } from "../../lib/network/network.js";
import { uploadNetwork } from "../../lib/network/tensor-network.js";
import { SAE_ARCHITECTURES, checkSaeConfig, saeConfig, type SaeArchitecture, type SaeConfig, type SaeConfigInput } from "../../lib/sae/config.js";
import { architecture as architectureNamed, DEFAULT_LIVE_ARCHITECTURE } from "../../lib/sae/architectures/index.js";
import { evaluateSae } from "../../lib/sae/evaluate.js";
import { sweepMetrics } from "../../lib/sae/sweep-metrics.js";
import { uploadSae } from "../../lib/sae/encode.js";
import { createSpliceRunner, saeReplacement } from "../../lib/sae/downstream.js";
import type { SweepFile, SweepMetrics } from "../../lib/sae/sweep-file.js";
import type { SaeWeights } from "../../lib/sae/weights.js";
import { workerProgress, type WorkerStep } from "../../runtime/worker-task.js";
import type { LiveProgress, LiveResult, SaeWorkerApi } from "../../workers/sae-worker.js";
import { checkNumberInput, type NumberRule } from "../../lib/validate-input.js";
import { selectControl, textControl, type Control } from "../controls.js";
import { cellError } from "../cell-error.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId } from "../chart-helpers.js";
import type { LayerData } from "./layer-data.js";
import type { ShownSae } from "./sweep-view.js";

export interface LiveControls {
  architecture: Control<SaeArchitecture>;
  latents: Control<string | number>;
  sparsity: Control<string | number>;
  steps: Control<string | number>;
}

/** What the sparsity box means for each architecture. */
export const SPARSITY_MEANING = Object.fromEntries(SAE_ARCHITECTURES.map((name) => [name, architectureNamed(name).live.meaning])) as Record<
  SaeArchitecture,
  string
>;

export function liveControls(dIn: number): LiveControls {
  return {
    architecture: selectControl({ label: "Architecture", options: SAE_ARCHITECTURES, value: DEFAULT_LIVE_ARCHITECTURE, key: "live-arch" }),
    latents: textControl({ label: "Latents", value: String(8 * dIn), numeric: true, key: "live-latents" }),
    sparsity: textControl({ label: "Sparsity", value: "4", numeric: true, key: "live-sparsity" }),
    steps: textControl({ label: "Steps", value: "1000", numeric: true, key: "live-steps" }),
  };
}

/** The largest dictionary the page trains live: 64 latents per input dimension. */
const MAX_LIVE_EXPANSION = 64;

/** The config the controls describe, or a message about the first bad value. */
export function liveConfig(dIn: number, architecture: SaeArchitecture, latents: unknown, sparsity: unknown, steps: unknown): SaeConfig | { error: string } {
  const checkedSteps = checkNumberInput(steps, { label: "Steps", min: 1, max: 100_000, integer: true });
  if (checkedSteps.error !== null) return { error: checkedSteps.error };
  const dSae = checkNumberInput(latents, { label: "Latents", min: 1, max: MAX_LIVE_EXPANSION * dIn, integer: true });
  if (dSae.error !== null) return { error: dSae.error };
  const { live } = architectureNamed(architecture);
  const rule: NumberRule = { label: `Sparsity (${live.meaning})`, ...live.rule(dSae.value) };
  const setting = checkNumberInput(sparsity, rule);
  if (setting.error !== null) return { error: setting.error };
  const refused = live.refuse?.(setting.value) ?? null;
  if (refused !== null) return { error: `${rule.label} ${refused}` };
  const input = { architecture, dIn, dSae: dSae.value, steps: checkedSteps.value, seed: 1, ...live.sparsity(setting.value) } as SaeConfigInput;
  try {
    const config = saeConfig(input);
    const problem = checkSaeConfig(config);
    return problem ? { error: problem } : config;
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export type LiveStep = WorkerStep<LiveProgress, LiveResult> & { curve: LiveProgress[] };

/** Trains in a worker; yields progress with the curve so far, then the weights. */
export async function* trainLive(
  workerUrl: string,
  data: LayerData,
  config: SaeConfig | { error: string },
  backend: string,
  wasmPaths: Record<string, string>,
  invalidation: Promise<unknown>,
): AsyncGenerator<LiveStep | { state: "error"; error: string; curve: LiveProgress[] }> {
  if ("error" in config) return yield { state: "error", error: config.error, curve: [] };
  const curve: LiveProgress[] = [];
  for await (const step of workerProgress<SaeWorkerApi, LiveProgress, LiveResult>(
    workerUrl,
    (api, onProgress) => api.train(data.train, config, backend, wasmPaths, onProgress),
    invalidation,
  )) {
    if (step.state === "progress" && step.progress) curve.push(step.progress);
    yield { ...step, curve: [...curve] };
  }
}

/** A progress bar and the loss and L0 curves so far (or the error). */
export function liveProgressView(step: LiveStep | { state: "error"; error: string; curve: LiveProgress[] }, options: { width?: number } = {}): Element {
  if (step.state === "error") return cellError(step.error);
  const box = document.createElement("div");
  box.dataset.testid = "sae-live";
  const last = step.curve.at(-1);
  const p = document.createElement("p");
  p.dataset.testid = "sae-live-status";
  if (step.state === "done") {
    p.textContent = `Trained ${step.value.history.at(-1)?.step ?? ""} steps on ${step.value.backend} in ${step.value.seconds.toFixed(1)} s (${(((step.value.history.at(-1)?.step ?? 0) as number) / step.value.seconds).toFixed(0)} steps/s); its metrics are in the charts and the table above.`;
  } else {
    const bar = document.createElement("progress");
    bar.max = last?.steps ?? 1;
    bar.value = last?.step ?? 0;
    p.append(
      bar,
      ` ${last ? `step ${last.step} of ${last.steps}: loss ${last.loss.toFixed(4)}, L0 ${last.l0.toFixed(2)}, ${(100 * last.deadFraction).toFixed(0)}% dead` : "starting the worker…"}`,
    );
  }
  box.append(p);
  const curve = step.state === "done" ? step.value.history.map((h) => ({ ...h, steps: 0, elapsedSeconds: 0 })) : step.curve;
  if (curve.length > 1) {
    const width = resolveWidth(options.width, "liveProgressView");
    const data = curve.flatMap((c) => [
      { step: c.step, value: c.loss, what: "loss" },
      { step: c.step, value: c.l0, what: "L0" },
    ]);
    box.append(
      Plot.plot({
        width,
        height: 220,
        grid: true,
        x: { label: "step" },
        y: { label: null },
        fy: { label: null },
        color: { scheme: CATEGORICAL_SCHEME },
        facet: { data, y: "what" },
        marks: [Plot.line(data, { x: "step", y: "value", stroke: "what" })],
      }) as Element,
    );
  }
  return setTestId(box, "sae-live");
}

/** The live SAE's metrics, on the sweep's evaluation rows and all test images, like the sweep's own. */
export async function liveMetrics(
  tf: TF,
  network: Network,
  data: LayerData,
  sweep: SweepFile,
  weights: SaeWeights,
  testSet: ImageSet,
  options: { pause: () => Promise<void>; batchSize: number },
): Promise<SweepMetrics> {
  const evaluation = evaluateSae(tf, weights, data.evaluation);
  const model = uploadNetwork(tf, network);
  const sae = uploadSae(tf, weights);
  try {
    const splice = createSpliceRunner(tf, model, data.layer, testSet.images, testSet.labels, testSet.count, {
      betweenBatches: options.pause,
      batchSize: options.batchSize,
      cacheBudget: 1,
    });
    const spliced = await splice.classify(saeReplacement(tf, sae)).finally(() => splice.dispose());
    // The unmodified and ablated networks are the same for every SAE of the layer: the sweep's numbers.
    const { originalAccuracy, originalCrossEntropy, zeroAblationCrossEntropy, meanAblationCrossEntropy } = sweep.saes[0].metrics;
    return sweepMetrics(evaluation, spliced, { originalAccuracy, originalCrossEntropy, zeroAblationCrossEntropy, meanAblationCrossEntropy });
  } finally {
    sae.dispose();
    model.dispose();
  }
}

export function liveShown(config: SaeConfig, metrics: SweepMetrics): ShownSae {
  return { id: `live/${config.architecture}-${config.dSae}`, source: "live", architecture: config.architecture, basis: "neurons", dSae: config.dSae, metrics };
}
