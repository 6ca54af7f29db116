// Shape checks and scratch buffers for kernels that write into tfjs-backend-wasm's heap directly:
// a wrong size there would silently overwrite other tensors, so every shape is checked first.
import type { TensorInfo } from "@tensorflow/tfjs";
import type { WasmBackendAccess } from "./wasm-kernel-access.js";

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Throws unless `info` has exactly the shape `expected` and dtype float32. */
export function expectFloat32(kernel: string, what: string, info: TensorInfo, expected: readonly number[]): void {
  if (info.dtype !== "float32") throw new Error(`${kernel} (wasm): ${what} must be float32, got ${info.dtype}`);
  if (info.shape.length !== expected.length || info.shape.some((dim, i) => dim !== expected[i])) {
    throw new Error(`${kernel} (wasm): ${what} has shape [${info.shape.join(", ")}], expected [${expected.join(", ")}]`);
  }
}

/** Float32 buffers on the heap for the duration of `run`, freed afterwards. */
export function withScratch<T>(backend: WasmBackendAccess, sizes: readonly number[], run: (buffers: TensorInfo[]) => T): T {
  const buffers = sizes.map((size) => backend.makeOutput([size], "float32"));
  try {
    return run(buffers);
  } finally {
    for (const buffer of buffers) backend.disposeData(buffer.dataId);
  }
}
