// Chooses the tfjs backend that build-time training runs on. In Node the wasm backend (XNNPACK,
// SIMD, one thread) trains our small models many times faster than the pure-JS cpu backend, so it
// is the default; cpu remains as the fallback and as the reference for numerical checks. On wasm
// we also install our own SIMD kernels (./kernels): the conv filter gradient wasm lacks, and
// faster conv input gradients, max pooling, matrix products and bias sums.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import type { TF } from "../../src/lib/tf-types.js";
import { registerTrainingKernels } from "./kernels/register-kernels.js";

export type TrainingBackendName = "wasm" | "cpu";

export interface TrainingBackendOptions {
  /** Force a backend; otherwise env TRAIN_BACKEND, otherwise automatic (wasm, else cpu). */
  backend?: TrainingBackendName;
  /** Folder holding the tfjs-backend-wasm .wasm binaries; default: the installed package's dist/. */
  wasmDirectory?: string;
}

export interface TrainingBackend {
  tf: TF;
  /** The backend actually in use (what tf.getBackend() reports after a successful switch). */
  backend: string;
}

const BACKEND_NAMES: readonly TrainingBackendName[] = ["wasm", "cpu"];

/** The folder holding the .wasm binaries, as a file path ending in a separator. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry lives in dist/, next to the .wasm files.
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), sep);
}

function requestedBackend(option: TrainingBackendName | undefined): TrainingBackendName | "auto" {
  if (option !== undefined) {
    if (!BACKEND_NAMES.includes(option)) {
      throw new Error(`initTrainingBackend: options.backend must be "wasm" or "cpu", got ${JSON.stringify(option)}`);
    }
    return option;
  }
  const fromEnv = process.env.TRAIN_BACKEND?.trim();
  if (fromEnv === undefined || fromEnv === "") return "auto";
  if (!(BACKEND_NAMES as readonly string[]).includes(fromEnv)) {
    throw new Error(`environment variable TRAIN_BACKEND must be "wasm" or "cpu", got ${JSON.stringify(fromEnv)}`);
  }
  return fromEnv as TrainingBackendName;
}

/** What TRAIN_BACKEND asks for ("auto" when unset); it changes a model's numbers, so caches key on it. */
export function requestedTrainingBackend(): TrainingBackendName | "auto" {
  return requestedBackend(undefined);
}

/** Switches to wasm with our kernels; resolves to null on success or to the reason it failed. */
async function tryWasm(directory: string): Promise<string | null> {
  try {
    // Registered before the switch, so that the setup of the tfjs kernels we keep as fallbacks
    // runs with the backend.
    await registerTrainingKernels(tf);
    setWasmPaths(directory.endsWith(sep) || directory.endsWith("/") ? directory : directory + sep);
    // setBackend reports failure through its boolean (and getBackend may still name the failed
    // backend afterwards), so the boolean is the only thing to trust.
    const ok = await tf.setBackend("wasm");
    if (!ok) return 'tf.setBackend("wasm") returned false';
    await tf.ready();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function useCpu(): Promise<void> {
  const ok = await tf.setBackend("cpu");
  if (!ok) throw new Error('initTrainingBackend: tf.setBackend("cpu") returned false; no usable tfjs backend');
  await tf.ready();
}

/**
 * Initializes tfjs for training in Node and returns the namespace with the backend in use.
 * Choice, first match wins: options.backend, then env TRAIN_BACKEND (wasm|cpu), then automatic
 * (wasm, falling back to cpu with a note on stderr). An explicitly requested wasm that fails to
 * start is an error rather than a silent fallback, since the caller asked for it.
 */
export async function initTrainingBackend(options: TrainingBackendOptions = {}): Promise<TrainingBackend> {
  const requested = requestedBackend(options.backend);
  if (requested === "cpu") {
    await useCpu();
    return { tf, backend: tf.getBackend() };
  }
  const failure = await tryWasm(options.wasmDirectory ?? wasmBinaryDirectory());
  if (failure === null) return { tf, backend: "wasm" };
  if (requested === "wasm") {
    throw new Error(`initTrainingBackend: the wasm backend was requested but failed to initialize: ${failure}`);
  }
  process.stderr.write(`training backend: wasm failed to initialize (${failure}); falling back to cpu, expect ~4x slower training\n`);
  await useCpu();
  return { tf, backend: tf.getBackend() };
}
