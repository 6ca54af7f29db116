// Instantiates the compiled kernels on a tfjs-backend-wasm heap and gives them typed signatures.
// Every argument is an integer: sizes, strides, or byte offsets of float32 buffers on that heap.
import { KERNEL_EXPORTS } from "./kernel-binary.js";
import { asWasmBackend, heapMemory } from "./wasm-kernel-access.js";

type Ints<N extends number, Acc extends number[] = []> = Acc["length"] extends N ? Acc : Ints<N, [...Acc, number]>;

/** The module's functions; see assembly/*.ts for what each computes. */
export type TrainingKernels = { [Name in keyof typeof KERNEL_EXPORTS]: (...args: Ints<(typeof KERNEL_EXPORTS)[Name]>) => void };

const instances = new WeakMap<WebAssembly.Memory, TrainingKernels>();

function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): TrainingKernels {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  for (const [name, arity] of Object.entries(KERNEL_EXPORTS)) {
    const fn = exports[name];
    if (typeof fn !== "function" || fn.length !== arity) {
      throw new Error(`training kernels: export ${name} should be a function of ${arity} arguments, got ${typeof fn === "function" ? `${fn.length} arguments` : typeof fn}`);
    }
  }
  return exports as unknown as TrainingKernels;
}

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
