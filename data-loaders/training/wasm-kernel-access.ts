// The few members of tfjs-backend-wasm's BackendWasm that our own wasm kernels use. The package
// does not export the class type from its Node entry, so kernels see the backend as `{}` and
// cast it to this shape.
import type { DataType, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";

export interface WasmBackendAccess {
  /** Allocates an output on the wasm heap (this may grow the heap and detach older views). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's data on the wasm heap: take it after the last allocation. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

export function asWasmBackend(backend: unknown): WasmBackendAccess {
  const candidate = backend as Partial<WasmBackendAccess> | null;
  if (
    candidate === null ||
    typeof candidate.makeOutput !== "function" ||
    typeof candidate.typedArrayFromHeap !== "function" ||
    typeof candidate.disposeData !== "function"
  ) {
    throw new Error("wasm kernel: the backend passed to the kernel is not tfjs-backend-wasm's BackendWasm");
  }
  return candidate as WasmBackendAccess;
}

export function float32View(backend: WasmBackendAccess, info: TensorInfo, what: string): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new Error(`wasm kernel: ${what} must be float32, got ${info.dtype}`);
  }
  return view;
}

/** The registered wasm implementation of a kernel, for kernels built from other kernels. */
export function wasmKernel(tf: TF, kernelName: string): KernelFunc {
  const config = tf.getKernel(kernelName, "wasm");
  if (config === undefined) throw new Error(`wasm kernel: tfjs-backend-wasm has no "${kernelName}" kernel registered`);
  return config.kernelFunc;
}

/** Runs a kernel function that is known to return exactly one output. */
export function runSingle(kernel: KernelFunc, inputs: Record<string, TensorInfo>, backend: unknown, attrs: NamedAttrMap): TensorInfo {
  const result = kernel({ inputs, backend: backend as object, attrs });
  if (Array.isArray(result)) throw new Error("wasm kernel: expected a single output from a helper kernel");
  return result;
}
