// tfjs-backend-wasm 4.22 runs a matMul on XNNPACK only when neither operand is transposed; with
// transposeA or transposeB it falls back to a scalar C++ loop several times slower. Backprop
// through a Dense layer asks for exactly those forms (dW = xᵀ·dy, dx = dy·Wᵀ), so this module
// wraps the wasm BatchMatMul kernel: it first transposes the flagged operand explicitly (a cheap,
// memory-bound copy) and then runs the fast untransposed product. Results are unchanged up to
// float rounding order; the wrapper is deterministic.
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import { asWasmBackend, runSingle, wasmKernel } from "./wasm-kernel-access.js";

const WRAPPED = Symbol.for("mnist-interpretability.wasm-fast-matmul");

function leadingSize(shape: number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length - 2; i++) size *= shape[i];
  return size;
}

/** The operand with its last two axes swapped, as a new wasm tensor of shape [1, cols, rows]. */
function transposeLastTwo(tf: TF, info: TensorInfo, backend: unknown): TensorInfo {
  const rank = info.shape.length;
  const rows = info.shape[rank - 2];
  const cols = info.shape[rank - 1];
  const asRank3: TensorInfo = { dataId: info.dataId, shape: [1, rows, cols], dtype: info.dtype };
  return runSingle(wasmKernel(tf, "Transpose"), { x: asRank3 }, backend, { perm: [0, 2, 1] });
}

function makeFastBatchMatMul(tf: TF, original: KernelFunc) {
  return (args: { inputs: NamedTensorInfoMap; backend: object; attrs?: NamedAttrMap }): TensorInfo | TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a;
    const b = inputs.b;
    const transposeA = Boolean(attrs?.transposeA);
    const transposeB = Boolean(attrs?.transposeB);
    // Batched products (leading size > 1) take the original path: XNNPACK is not used for them.
    if (
      a === undefined ||
      b === undefined ||
      (!transposeA && !transposeB) ||
      a.shape.length < 2 ||
      b.shape.length < 2 ||
      leadingSize(a.shape) !== 1 ||
      leadingSize(b.shape) !== 1 ||
      a.dtype !== "float32" ||
      b.dtype !== "float32"
    ) {
      return original(args);
    }
    const wasm = asWasmBackend(backend);
    const temporaries: TensorInfo[] = [];
    const plainA = transposeA ? transposeLastTwo(tf, a, backend) : a;
    if (transposeA) temporaries.push(plainA);
    const plainB = transposeB ? transposeLastTwo(tf, b, backend) : b;
    if (transposeB) temporaries.push(plainB);
    try {
      const out = runSingle(original, { a: plainA, b: plainB }, backend, { ...attrs, transposeA: false, transposeB: false });
      // Keep the output rank the caller expects (rank-2 inputs give a rank-2 result).
      const leading = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      out.shape = [...leading, out.shape[out.shape.length - 2], out.shape[out.shape.length - 1]];
      return out;
    } finally {
      for (const t of temporaries) wasm.disposeData(t.dataId);
    }
  };
}

/** Replaces the wasm BatchMatMul kernel with the transposing wrapper (idempotent). */
export function registerWasmFastMatMul(tf: TF): void {
  const original = tf.getKernel("BatchMatMul", "wasm") as (KernelConfig & { [WRAPPED]?: true }) | undefined;
  if (original === undefined || original[WRAPPED]) return;
  const wrapped = {
    ...original,
    kernelFunc: makeFastBatchMatMul(tf, original.kernelFunc) as unknown as KernelFunc,
    [WRAPPED]: true as const,
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel(wrapped);
}
