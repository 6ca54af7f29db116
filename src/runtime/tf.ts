// Browser-only: loads the single tfjs bundle, picks a backend (src/lib/backend-choice.ts) and
// keeps it alive: a failed or lost WebGPU device falls back to the next backend, visibly.
import { FileAttachment } from "observablehq:stdlib";
import * as tf from "../vendor/tfjs.js";
import {
  backendOrder,
  parseBackendRequest,
  type AdapterReport,
  type BackendName,
  type BackendStatus,
} from "../lib/backend-choice.js";
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
