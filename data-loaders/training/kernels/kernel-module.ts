// Instantiates the compiled kernels on a tfjs-backend-wasm heap and gives them typed signatures.
// Every argument is an integer: sizes, strides, or byte offsets of float32 buffers on that heap.
import { instantiateKernels, type TrainingKernels } from "../../../src/lib/wasm/kernels.js";
import { asWasmBackend, heapMemory } from "./wasm-kernel-access.js";

export type { TrainingKernels };

const instances = new WeakMap<WebAssembly.Memory, TrainingKernels>();

/** The kernels bound to `backend`'s heap, instantiated on first use. */
export function kernelsOnHeap(module: WebAssembly.Module, backend: unknown): TrainingKernels {
  const memory = heapMemory(asWasmBackend(backend));
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiateKernels(module, memory);
    instances.set(memory, kernels);
  }
  return kernels;
}
