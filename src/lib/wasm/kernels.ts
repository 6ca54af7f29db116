// The training kernels' WebAssembly exports (compiled from data-loaders/training/kernels/assembly)
// and their typed signatures. Arguments are sizes, flags, byte offsets of float32 buffers in the
// memory the module was instantiated on, and for a few elementwise kernels float32 scalars. Shared by Node (the build) and
// the browser (the fused SAE training in a worker), which load the same binary.

/** The exported functions and their parameter counts, checked on load. */
export const KERNEL_EXPORTS = {
  addBias: 4,
  conv2d: 14,
  conv2dFilterGrad: 14,
  conv2dInputGrad: 12,
  flipFilter: 7,
  scatterImage: 13,
  transpose: 4,
  matMul: 7,
  maxPool: 14,
  maxPool2x2: 6,
  maxPoolGrad: 15,
  maxPoolGrad2x2: 7,
  sumRows: 4,
  adamStep: 9,
  addMasked: 4,
  gateGradient: 5,
  keepAtLeast: 6,
  keepTopKOfDead: 9,
  maskedRowDots: 8,
  keepTopKPerRow: 7,
  kthLargest: 4,
  normalizeRows: 3,
  reluWithGate: 4,
  removeRowComponents: 4,
  scale: 3,
  scaledError: 4,
  sgdStep: 4,
  sigmoidWithGate: 6,
  smallestPositive: 2,
  sparseRowsTimes: 7,
  sparseTransposeTimes: 7,
  softmaxCrossEntropy: 6,
  subtractBias: 5,
  sumOfSquares: 2,
  svmEpoch: 9,
  tsneGradient: 6,
} as const;

/** Exports that return a number (a sum or a selected value); the others return nothing. */
type Returning = "kthLargest" | "reluWithGate" | "scaledError" | "smallestPositive" | "softmaxCrossEntropy" | "sumOfSquares" | "svmEpoch" | "tsneGradient";

type Ints<N extends number, Acc extends number[] = []> = Acc["length"] extends N ? Acc : Ints<N, [...Acc, number]>;

/** The module's functions; see assembly/*.ts for what each computes. */
export type TrainingKernels = {
  [Name in keyof typeof KERNEL_EXPORTS]: (...args: Ints<(typeof KERNEL_EXPORTS)[Name]>) => Name extends Returning ? number : void;
};

/** Instantiates the kernels on `memory` (their only import), checking every export's arity. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): TrainingKernels {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  for (const [name, arity] of Object.entries(KERNEL_EXPORTS)) {
    const fn = exports[name];
    if (typeof fn !== "function" || fn.length !== arity) {
      throw new Error(
        `training kernels: export ${name} should be a function of ${arity} arguments, got ${typeof fn === "function" ? `${fn.length} arguments` : typeof fn}`,
      );
    }
  }
  return exports as unknown as TrainingKernels;
}

/** The binary's file name where the site serves it (src/vendor/, written by the build). */
export const TRAINING_KERNELS = "training-kernels.wasm";

/** Fetches and compiles the kernels' binary at `url` (a page or a worker), naming the file when that fails. */
export async function fetchKernels(url: string | undefined): Promise<WebAssembly.Module> {
  if (url === undefined) throw new Error(`training kernels: no address for ${TRAINING_KERNELS}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`training kernels: ${url} answered ${response.status} ${response.statusText}`);
  return WebAssembly.compile(await response.arrayBuffer());
}
