// Sum over every axis but the last (a bias gradient, e.g. over [batch, height, width] of a conv's
// dy) on our SIMD kernel; tfjs-backend-wasm 4.22 transposes the input first. Both sum each
// column in float32, row after row, so the results are bit-identical. Other reductions stay with
// tfjs.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";
import { sizeOf } from "./heap-buffers.js";
import { kernelsOnHeap } from "./kernel-module.js";
import { asWasmBackend, heapOffset, type KernelArgs } from "./wasm-kernel-access.js";

export function makeSum(tf: TF, module: WebAssembly.Module) {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      if (original === undefined) throw new Error("Sum (wasm): tfjs-backend-wasm's own kernel is missing");
      const { x } = args.inputs;
      if (x === undefined) throw new Error("Sum (wasm): input x is required");
      const rank = x.shape.length;
      const axes = rank === 0 ? [] : tf.util.parseAxisParam((args.attrs?.axis ?? []) as number | number[], x.shape).sort((p, q) => p - q);
      const leadingAxes = rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
      if (x.dtype !== "float32" || !leadingAxes || x.shape[rank - 1] === 0) return original(args as Parameters<KernelFunc>[0]);
      const backend = asWasmBackend(args.backend);
      const columns = x.shape[rank - 1];
      const shape = args.attrs?.keepDims ? [...x.shape.slice(0, -1).map(() => 1), columns] : [columns];
      const y = backend.makeOutput(shape, "float32");
      kernelsOnHeap(module, args.backend).sumRows(heapOffset(backend, x, "x"), heapOffset(backend, y, "y"), sizeOf(x.shape) / columns, columns);
      return y;
    };
}
