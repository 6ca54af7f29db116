// The live planted-feature benchmark: the reader sets the planted data (d, n, how often features
// fire, how they co-fire) and the SAE steps; the SAE worker (src/workers/sae-worker.ts, cancelled
// when an input changes) generates the data and trains each chosen SAE architecture in turn; the
// page scores each against the true features (src/lib/planted/benchmark.ts) on the main thread in
// small pieces while the next one trains, and adds a random dictionary of the same width as the
// null to beat.
import { SAE_ARCHITECTURES, saeConfig, type SaeArchitecture } from "../../lib/sae/config.js";
import {
  PLANTED_CONTROL_SEED,
  PLANTED_DEFAULT_STEPS,
  plantedInputs,
  plantedRunFiles,
  plantedSaeConfig,
  randomBaselineSteps,
  saeRowSteps,
  trueMeanL0,
  type PlantedInputValues,
  type PlantedRow,
  type PlantedRunFile,
} from "../../lib/planted/benchmark.js";
import { activationMatrix, type PlantedData } from "../../lib/planted/generate.js";
import { DEFAULT_PLANTED_SPEC, type PlantedSpec } from "../../lib/planted/spec.js";
import type { SaeWeights } from "../../lib/sae/weights.js";
import { CancelledError, workerProgress, workerTask } from "../../runtime/worker-task.js";
import type { LiveProgress, LiveResult, SaeWorkerApi } from "../../workers/sae-worker.js";
import { textControl, type Control } from "../controls.js";

export interface PlantedControls {
  d: Control<string | number>;
  n: Control<string | number>;
  meanProbability: Control<string | number>;
  correlation: Control<string | number>;
  steps: Control<string | number>;
  architectures: Control<string | number>;
}

/** The benchmark's inputs, each remembered in the page's address under a "planted-" key. */
export function plantedControls(): PlantedControls {
  const spec = DEFAULT_PLANTED_SPEC;
  return {
    d: textControl({ label: "Dimensions d", value: String(spec.d), numeric: true, key: "planted-d" }),
    n: textControl({ label: "Planted features n", value: String(spec.n), numeric: true, key: "planted-n" }),
    meanProbability: textControl({ label: "Mean firing probability", value: String(spec.firing.meanProbability), numeric: true, key: "planted-p" }),
    correlation: textControl({ label: "Correlation", value: String(spec.correlation), numeric: true, key: "planted-rho" }),
    steps: textControl({ label: "SAE steps", value: String(PLANTED_DEFAULT_STEPS), numeric: true, key: "planted-steps" }),
    architectures: textControl({ label: "Architectures", value: SAE_ARCHITECTURES.join(", "), key: "planted-archs" }),
  };
}

/** One trained SAE's row with how it was trained. */
export interface PlantedResultRow extends PlantedRow {
  architecture: SaeArchitecture;
  seconds: number;
  backend: string;
  /** Its weights, for the downloads. */
  weights: SaeWeights;
}

export interface PlantedResult {
  spec: PlantedSpec;
  dSae: number;
  steps: number;
  rows: PlantedResultRow[];
  /** The random dictionary of the same width, codes TopK with k = the true mean L0. */
  control: PlantedRow;
  controlK: number;
  /** planted-features.safetensors and planted-generator.json (plantedRunFiles). */
  files: PlantedRunFile[];
  /** The backend(s) the worker trained on, as it reported them. */
  backend: string;
  /** Seconds from the start to the last row, and of generating the data. */
  totalSeconds: number;
  generateSeconds: number;
}

export type PlantedProgress = {
  phase: "generating" | "training" | "scoring";
  /** The architecture being trained, its place in the list and the list's length. */
  architecture: SaeArchitecture | null;
  index: number;
  total: number;
  /** The worker's latest report, when training. */
  training: LiveProgress | null;
  elapsedSeconds: number;
};

export type PlantedStep = { state: "error"; error: string } | { state: "progress"; progress: PlantedProgress } | { state: "done"; result: PlantedResult };

export { PLANTED_CONTROL_SEED };

/** A main-thread pause: lets the page paint and handle input between pieces of scoring. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class Cancelled extends Error {}

/** Runs a step generator of benchmark.ts with a pause at every step; stops at the next step once cancelled. */
async function drive<T>(steps: Generator<void, T>, isCancelled: () => boolean): Promise<T> {
  for (;;) {
    if (isCancelled()) throw new Cancelled();
    const next = steps.next();
    if (next.done) return next.value;
    await pause();
  }
}

/**
 * Validates the inputs (a bad value yields {state: "error"} with the spec's own message), plants
 * the features, trains each architecture in a fresh SAE worker, yields progress (phase,
 * architecture, the worker's step) and finally the rows, the control and the files. Ends silently
 * when `invalidation` resolves (an input changed).
 */
export async function* runPlantedBenchmark(
  workerUrl: string,
  inputs: PlantedInputValues,
  backend: string,
  wasmPaths: Record<string, string>,
  invalidation: Promise<unknown>,
): AsyncGenerator<PlantedStep> {
  const checked = plantedInputs(inputs);
  if ("error" in checked) return yield { state: "error", error: checked.error };
  const { spec, steps, architectures, dSae } = checked;
  let cancelled = false;
  void invalidation.then(() => (cancelled = true));
  const isCancelled = () => cancelled;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const progress = (phase: PlantedProgress["phase"], index: number, training: LiveProgress | null = null): PlantedStep => ({
    state: "progress",
    progress: { phase, architecture: architectures[index] ?? null, index, total: architectures.length, training, elapsedSeconds: elapsed() },
  });

  yield progress("generating", 0);
  // 0.1-0.4 s for the default spec, one piece of work: done in the worker, off the main thread.
  let data: PlantedData | null = null;
  try {
    data = await workerTask<SaeWorkerApi, PlantedData>(workerUrl, (api) => api.plant(spec), invalidation);
  } catch (error) {
    if (error instanceof CancelledError || cancelled) return;
    return yield { state: "error", error: `Planting the features: ${(error as Error).message}` };
  }
  const generateSeconds = elapsed();
  const activations = activationMatrix(data);
  const controlK = trueMeanL0(data);
  const pending: Promise<PlantedRow>[] = [];
  const keep = (work: Promise<PlantedRow>) => {
    // Cancellation is a normal end: no unhandled rejection.
    work.catch(() => {});
    pending.push(work);
  };
  // Scoring runs on the main thread in pieces while the worker trains the next SAE.
  keep(drive(randomBaselineSteps(data, dSae, PLANTED_CONTROL_SEED, controlK), isCancelled));
  const trained: { architecture: SaeArchitecture; value: LiveResult }[] = [];
  for (let index = 0; index < architectures.length; index++) {
    const architecture = architectures[index];
    const config = saeConfig(plantedSaeConfig(data, architecture, steps));
    let value: LiveResult | null = null;
    for await (const step of workerProgress<SaeWorkerApi, LiveProgress, LiveResult>(
      workerUrl,
      (api, onProgress) => api.train(activations, config, backend, wasmPaths, onProgress),
      invalidation,
    )) {
      if (step.state === "error") return yield { state: "error", error: `Training ${architecture}: ${step.error}` };
      if (step.state === "progress") yield progress("training", index, step.progress);
      else value = step.value;
    }
    // No value and no error: cancelled.
    if (value === null || cancelled) return;
    trained.push({ architecture, value });
    keep(drive(saeRowSteps(data, value.weights), isCancelled));
  }
  yield progress("scoring", architectures.length);
  let scored: PlantedRow[];
  try {
    scored = await Promise.all(pending);
  } catch (error) {
    if (error instanceof Cancelled) return;
    return yield { state: "error", error: `Scoring: ${(error as Error).message}` };
  }
  if (cancelled) return;
  const [control, ...sae] = scored;
  const rows: PlantedResultRow[] = sae.map((row, i) => ({
    ...row,
    architecture: trained[i].architecture,
    seconds: trained[i].value.seconds,
    backend: trained[i].value.backend,
    weights: trained[i].value.weights,
  }));
  const files = plantedRunFiles(
    data,
    rows.map((r) => ({ architecture: r.architecture, decoder: { rows: r.weights.dSae, cols: r.weights.dIn, data: r.weights.W_dec } })),
  );
  const backends = [...new Set(rows.map((r) => r.backend))].join(", ");
  yield { state: "done", result: { spec, dSae, steps, rows, control, controlK, files, backend: backends, totalSeconds: elapsed(), generateSeconds } };
}
