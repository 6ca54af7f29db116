// Single matrix products (BatchMatMul, and _FusedMatMul with a bias and no activation, which is
// what a Dense layer runs) with a batch of one, on our SIMD kernel. tfjs-backend-wasm 4.22 runs
// transposed operands, which every Dense gradient uses (dW = xᵀ·dy, dx = dy·Wᵀ), in a scalar
// loop, and sets up an XNNPACK operator on every call for the others. Batched products and fused
// activations stay with tfjs's kernels.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { sizeOf, withScratch } from "./heap-buffers.js";
import { kernelsOnHeap } from "./kernel-module.js";
import { asWasmBackend, heapOffset, type KernelArgs } from "./wasm-kernel-access.js";

type KernelName = "BatchMatMul" | "_FusedMatMul";

const isSingleFloat32Matrix = (info: TensorInfo) => info.dtype === "float32" && info.shape.length >= 2 && sizeOf(info.shape.slice(0, -2)) === 1;

export function makeMatMul(module: WebAssembly.Module, kernelName: KernelName) {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      if (original === undefined) throw new Error(`${kernelName} (wasm): tfjs-backend-wasm's own kernel is missing`);
      const { a, b, bias, preluActivationWeights } = args.inputs;
      if (a === undefined || b === undefined) throw new Error(`${kernelName} (wasm): inputs a and b are required`);
      const transposeA = Boolean(args.attrs?.transposeA);
      const transposeB = Boolean(args.attrs?.transposeB);
      const activation = args.attrs?.activation as string | undefined;
      const [aRows, aCols] = a.shape.slice(-2);
      const [bRows, bCols] = b.shape.slice(-2);
      const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
      const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
      const ours =
        isSingleFloat32Matrix(a) &&
        isSingleFloat32Matrix(b) &&
        (activation === undefined || activation === "linear") &&
        preluActivationWeights === undefined &&
        (bias === undefined || (bias.dtype === "float32" && bias.shape.length === 1 && bias.shape[0] === n));
      if (!ours) return original(args as Parameters<KernelFunc>[0]);
      if (k !== kB) {
        throw new Error(
          `${kernelName} (wasm): inner dimensions differ: a [${a.shape.join(", ")}]${transposeA ? "ᵀ" : ""} · b [${b.shape.join(", ")}]${transposeB ? "ᵀ" : ""}`,
        );
      }
      const backend = asWasmBackend(args.backend);
      const kernels = kernelsOnHeap(module, args.backend);
      // Keep the rank the caller expects (rank-2 inputs give a rank-2 result).
      const leading = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      const c = backend.makeOutput([...leading, m, n], "float32");
      const multiply = (bOffset: number) => kernels.matMul(heapOffset(backend, a, "a"), bOffset, heapOffset(backend, c, "c"), m, k, n, transposeA ? 1 : 0);
      if (!transposeB || m * n * k === 0) {
        multiply(heapOffset(backend, b, "b"));
      } else {
        // The kernel reads b's rows as vectors, so a transposed b is packed first.
        withScratch(backend, [k * n], ([packed]) => {
          const packedOffset = heapOffset(backend, packed, "packed b");
          kernels.transpose(heapOffset(backend, b, "b"), packedOffset, n, k);
          multiply(packedOffset);
        });
      }
      // Added after the product, as the cpu backend does.
      if (bias !== undefined) kernels.addBias(heapOffset(backend, c, "c"), heapOffset(backend, bias, "bias"), m, n);
      return c;
    };
}
