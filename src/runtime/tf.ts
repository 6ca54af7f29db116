// Browser-only: loads the single tfjs bundle, picks a backend (src/lib/backend-choice.ts) and
// keeps it alive: a failed or lost WebGPU device falls back to the next backend, visibly.
import { FileAttachment } from "observablehq:stdlib";
import * as tf from "../vendor/tfjs.js";
import { backendOrder, parseBackendRequest, type AdapterReport, type BackendName, type BackendStatus } from "../lib/backend-choice.js";
import { fetchKernels, TRAINING_KERNELS } from "../lib/wasm/kernels.js";

export { tf };

type Listener = (status: BackendStatus) => void;

// Minimal WebGPU shapes; the DOM lib of TypeScript 5.9 has no WebGPU types.
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

async function probeAdapter(): Promise<AdapterReport> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { available: false, isFallback: false, description: "no WebGPU in this browser" };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, isFallback: false, description: "no WebGPU adapter" };
    const info = adapter.info ?? {};
    const isFallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || info.architecture === "swiftshader";
    const description = [info.vendor, info.architecture].filter(Boolean).join(" / ") || info.description || "unknown adapter";
    return { available: true, isFallback, description };
  } catch (error) {
    return { available: false, isFallback: false, description: `adapter request failed: ${(error as Error).message}` };
  }
}

/**
 * Absolute addresses of the wasm binaries, for this page and for its workers' own tfjs, and of the
 * project's training kernels (key TRAINING_KERNELS), which the fused wasm paths run on.
 */
export async function wasmPaths(): Promise<Record<string, string>> {
  // Framework builds only files named by a literal FileAttachment("..."), hence one call each.
  const absolute = async (url: Promise<string>) => new URL(await url, location.href).href;
  return {
    "tfjs-backend-wasm.wasm": await absolute(FileAttachment("../vendor/tfjs-backend-wasm.wasm").url()),
    "tfjs-backend-wasm-simd.wasm": await absolute(FileAttachment("../vendor/tfjs-backend-wasm-simd.wasm").url()),
    "tfjs-backend-wasm-threaded-simd.wasm": await absolute(FileAttachment("../vendor/tfjs-backend-wasm-threaded-simd.wasm").url()),
    [TRAINING_KERNELS]: await absolute(FileAttachment("../vendor/training-kernels.wasm").url()),
  };
}

let kernels: Promise<WebAssembly.Module> | undefined;

/** The training kernels compiled once for this page (the live probe's fused objective). */
export function trainingKernels(): Promise<WebAssembly.Module> {
  kernels ??= wasmPaths().then((paths) => fetchKernels(paths[TRAINING_KERNELS]));
  kernels.catch(() => (kernels = undefined));
  return kernels;
}

async function configureWasm(): Promise<void> {
  tf.setWasmPaths(await wasmPaths());
}

/** Activates one backend and proves it computes; returns an error message or null. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} failed to initialize`;
    await tf.ready();
    const check = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(1)));
    const values = await check.data();
    check.dispose();
    if (values[0] !== 2 || values[1] !== 3) return `${name} computed 1+1=${values[0]}`;
    return null;
  } catch (error) {
    return `${name} failed: ${(error as Error).message}`;
  }
}

const listeners = new Set<Listener>();
let current: BackendStatus;

async function activate(order: BackendName[], requested: BackendName | null, adapter: AdapterReport, reasons: string[]): Promise<BackendStatus> {
  for (const name of order) {
    if (name === "webgpu" && !adapter.available) {
      reasons.push(`webgpu unavailable: ${adapter.description}`);
      continue;
    }
    const failure = await tryBackend(name);
    if (failure === null) {
      current = {
        backend: name,
        adapter: adapter.description,
        adapterIsSoftware: adapter.isFallback,
        requested,
        fallbackReason: reasons.length ? reasons.join("; ") : null,
      };
      if (name === "webgpu") watchDeviceLoss(order, requested, adapter);
      for (const listener of listeners) listener(current);
      return current;
    }
    reasons.push(failure);
  }
  throw new Error(`no tfjs backend works in this browser: ${reasons.join("; ")}`);
}

function watchDeviceLoss(order: BackendName[], requested: BackendName | null, adapter: AdapterReport): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  device?.lost?.then((info) => {
    const rest = order.filter((b) => b !== "webgpu");
    const reason = `webgpu device lost (${info.reason ?? "unknown"}${info.message ? `: ${info.message}` : ""})`;
    void activate(rest, requested, adapter, [reason]);
  });
}

async function start(): Promise<BackendStatus> {
  const request = parseBackendRequest(location.search);
  await configureWasm();
  const adapter = await probeAdapter();
  const reasons = request.error ? [request.error] : [];
  return activate(backendOrder(request, adapter), request.forced, adapter, reasons);
}

// Top-level await: a module that imports `tf` from here always finds a working backend.
const initialStatus = await start();

/** The status as of page load (kept as a promise for cells that prefer to await). */
export const backendReady: Promise<BackendStatus> = Promise.resolve(initialStatus);

/** The active backend now (it can change after a lost WebGPU device). */
export function backendStatus(): BackendStatus {
  return current;
}

/** Calls `listener` on every backend change; returns the unsubscribe function. */
export function onBackendChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// For end-to-end tests and the curious reader's console.
(globalThis as unknown as { __mnistRuntime: unknown }).__mnistRuntime = { tf, backendStatus, backendReady };
