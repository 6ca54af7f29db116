// A Web Worker that trains a sparse autoencoder live, on its own tfjs (the page's backend when it
// can start here, else wasm, else cpu), so the page stays responsive. Pages start it through
// src/runtime/worker-task.ts and terminate it when an input changes.
import * as Comlink from "comlink";
import * as tf from "../vendor/tfjs.js";
import { trainSae, type TrainingMetrics } from "../lib/sae/train.js";
import { saeConfig, type SaeConfigInput } from "../lib/sae/config.js";
import { fusedStepSupports } from "../lib/sae/fused-step.js";
import { fetchKernels, TRAINING_KERNELS } from "../lib/wasm/kernels.js";
import type { ActivationMatrix } from "../lib/analysis/types.js";
import type { SaeWeights } from "../lib/sae/weights.js";
import type { TrainingPoint } from "../lib/sae/train.js";
import { plantFeatures, type PlantedData } from "../lib/planted/generate.js";
import type { PlantedSpec } from "../lib/planted/spec.js";

export interface LiveProgress extends TrainingMetrics {
  step: number;
  steps: number;
  elapsedSeconds: number;
}

export interface LiveResult {
  weights: SaeWeights;
  history: TrainingPoint[];
  seconds: number;
  backend: string;
}

async function useBackend(preferred: string, wasmPaths: Record<string, string>): Promise<string> {
  tf.setWasmPaths(wasmPaths);
  for (const name of [preferred, "wasm", "cpu"]) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // Try the next backend.
    }
  }
  throw new Error("no tfjs backend starts in this worker");
}

const api = {
  /** The planted benchmark's synthetic activations: a few hundred ms of work kept off the page's main thread. */
  plant(spec: PlantedSpec): PlantedData {
    return plantFeatures(spec);
  },
  async train(
    data: ActivationMatrix,
    input: SaeConfigInput,
    backend: string,
    wasmPaths: Record<string, string>,
    onProgress?: (progress: LiveProgress) => void,
  ): Promise<LiveResult> {
    const active = await useBackend(backend, wasmPaths);
    const config = saeConfig(input);
    // On wasm the steps run fused on the project's SIMD kernels (the same numbers, several times faster).
    const kernels = active === "wasm" && fusedStepSupports(config) ? await fetchKernels(wasmPaths[TRAINING_KERNELS]) : undefined;
    const started = performance.now();
    const { weights, history } = await trainSae(
      tf,
      data,
      config,
      { onProgress: (step, metrics) => onProgress?.({ ...metrics, step, steps: config.steps, elapsedSeconds: (performance.now() - started) / 1000 }) },
      { kernels },
    );
    return { weights, history, seconds: (performance.now() - started) / 1000, backend: kernels ? "wasm (fused kernels)" : active };
  },
};

export type SaeWorkerApi = typeof api;

Comlink.expose(api);
