// The forward 2-D convolution (Conv2D, and FusedConv2D with a bias and no activation, which is
// what tfjs-layers' Conv2D runs) on our SIMD kernel. tfjs-backend-wasm 4.22's XNNPACK conv gets
// some "same"-padded strided convs wrong; ours matches the cpu backend everywhere. Dilated, NCHW
// and activation-fused convs stay with tfjs's kernel.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";
import { convInfo, withPaddedInput, type ConvAttrs, type Shape4 } from "./conv-geometry.js";
import { expectFloat32 } from "./heap-buffers.js";
import { kernelsOnHeap } from "./kernel-module.js";
import { asWasmBackend, heapOffset, type KernelArgs } from "./wasm-kernel-access.js";

type FusedAttrs = ConvAttrs & { activation?: string };

export function makeConv2D(tf: TF, module: WebAssembly.Module, kernelName: "Conv2D" | "FusedConv2D") {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      if (original === undefined) throw new Error(`${kernelName} (wasm): tfjs-backend-wasm's own kernel is missing`);
      const { x, filter, bias, preluActivationWeights } = args.inputs;
      const attrs = (args.attrs ?? {}) as unknown as FusedAttrs;
      if (x === undefined || filter === undefined) throw new Error(`${kernelName} (wasm): inputs x and filter are required`);
      const ours =
        attrs.dataFormat !== "NCHW" &&
        tf.backend_util.tupleValuesAreOne(attrs.dilations ?? 1) &&
        (attrs.activation === undefined || attrs.activation === "linear") &&
        preluActivationWeights === undefined &&
        x.dtype === "float32" &&
        filter.dtype === "float32" &&
        x.shape.length === 4 &&
        filter.shape.length === 4 &&
        (bias === undefined || (bias.dtype === "float32" && bias.shape.length === 1 && bias.shape[0] === filter.shape[3]));
      if (!ours) return original(args as Parameters<KernelFunc>[0]);
      const info = convInfo(tf, x.shape as Shape4, filter.shape as Shape4, attrs);
      expectFloat32(kernelName, "filter", filter, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
      const backend = asWasmBackend(args.backend);
      const kernels = kernelsOnHeap(module, args.backend);
      const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], "float32");
      withPaddedInput(kernels, backend, x, info, (xOffset, height, width) =>
        kernels.conv2d(
          xOffset,
          heapOffset(backend, filter, "filter"),
          heapOffset(backend, y, "y"),
          info.batchSize,
          height,
          width,
          info.inChannels,
          info.outHeight,
          info.outWidth,
          info.outChannels,
          info.filterHeight,
          info.filterWidth,
          info.strideHeight,
          info.strideWidth,
        ),
      );
      // Added after the sum, as the cpu backend does.
      if (bias !== undefined)
        kernels.addBias(heapOffset(backend, y, "y"), heapOffset(backend, bias, "bias"), info.batchSize * info.outHeight * info.outWidth, info.outChannels);
      return y;
    };
}
