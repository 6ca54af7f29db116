// The few members of tfjs-backend-wasm's BackendWasm that our kernels use. The package does not
// export the class type from its Node entry, so kernels see the backend as `{}` and cast it to
// this shape, checking that it has it.
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";

export interface WasmBackendAccess {
  /** Allocates an output on the wasm heap (this may grow the heap and detach older views). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's data on the wasm heap: take it after the last allocation. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  /** The Emscripten module; `asm.memory` is the heap every tensor lives in. */
  wasm: { asm?: { memory?: unknown } };
}

export function asWasmBackend(backend: unknown): WasmBackendAccess {
  const candidate = backend as Partial<WasmBackendAccess> | null;
  if (
    candidate === null ||
    typeof candidate.makeOutput !== "function" ||
    typeof candidate.typedArrayFromHeap !== "function" ||
    typeof candidate.disposeData !== "function" ||
    typeof candidate.wasm !== "object"
  ) {
    throw new Error("wasm kernel: the backend passed to the kernel is not tfjs-backend-wasm's BackendWasm");
  }
  return candidate as WasmBackendAccess;
}

/** The WebAssembly.Memory holding the backend's heap. */
export function heapMemory(backend: WasmBackendAccess): WebAssembly.Memory {
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error("wasm kernel: tfjs-backend-wasm does not expose its heap as wasm.asm.memory (a threaded or changed build?)");
  }
  return memory;
}

/** Where a float32 tensor's data starts on the heap, in bytes. */
export function heapOffset(backend: WasmBackendAccess, info: TensorInfo, what: string): number {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`wasm kernel: ${what} must be float32, got ${info.dtype}`);
  return view.byteOffset;
}

/** Marks our kernels, so that registering twice is harmless and tests can tell them apart. */
export const OUR_KERNEL = Symbol.for("mnist-interpretability.training-kernel");

export type KernelArgs = { inputs: Record<string, TensorInfo | undefined>; backend: object; attrs?: NamedAttrMap };

/**
 * Puts `make(original)` in place of the wasm kernel `kernelName` (idempotent). `original` is
 * tfjs-backend-wasm's own kernel, for the cases ours leaves to it; undefined where wasm has none.
 */
export function replaceWasmKernel(
  tf: TF,
  kernelName: string,
  make: (original: KernelFunc | undefined) => (args: KernelArgs) => TensorInfo | TensorInfo[],
): void {
  const existing = tf.getKernel(kernelName, "wasm") as (KernelConfig & { [OUR_KERNEL]?: true }) | undefined;
  if (existing?.[OUR_KERNEL]) return;
  if (existing !== undefined) tf.unregisterKernel(kernelName, "wasm");
  // The original's setupFunc travels along: its fallback path still needs it.
  tf.registerKernel({
    ...(existing ?? { kernelName, backendName: "wasm" }),
    kernelFunc: make(existing?.kernelFunc) as unknown as KernelFunc,
    [OUR_KERNEL]: true,
  } as unknown as KernelConfig);
}
