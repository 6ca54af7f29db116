// The two gradients of a 2-D convolution (NHWC, any stride and padding, dilation 1) on our SIMD
// kernels. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all, and its
// Conv2DBackpropInput is a scalar loop. Note that tfjs's fused conv computes the input gradient
// even for a model's first layer, where nobody uses it, so that one must be fast too.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";
import { convInfo, withPaddedInput, type ConvAttrs, type Shape4 } from "./conv-geometry.js";
import { expectFloat32, withScratch } from "./heap-buffers.js";
import { kernelsOnHeap } from "./kernel-module.js";
import { asWasmBackend, heapOffset, type KernelArgs } from "./wasm-kernel-access.js";

/** dW = Σ over batch and output pixels of input patch ⊗ dy. */
export function makeConv2DBackpropFilter(tf: TF, module: WebAssembly.Module) {
  return (_original: KernelFunc | undefined) =>
    ({ inputs, backend: rawBackend, attrs }: KernelArgs): TensorInfo => {
      const name = "Conv2DBackpropFilter";
      const { x, dy } = inputs;
      const convAttrs = (attrs ?? {}) as unknown as ConvAttrs & { filterShape: Shape4 };
      if (x === undefined || dy === undefined) throw new Error(`${name} (wasm): inputs x and dy are required`);
      if (convAttrs.dataFormat === "NCHW") throw new Error(`${name} (wasm): only NHWC data is supported, got dataFormat NCHW`);
      const info = convInfo(tf, x.shape as Shape4, convAttrs.filterShape, convAttrs);
      expectFloat32(name, "x", x, [info.batchSize, info.inHeight, info.inWidth, info.inChannels]);
      expectFloat32(name, "dy", dy, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
      const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
      if (convAttrs.filterShape.some((dim, i) => dim !== filterShape[i])) {
        throw new Error(`${name} (wasm): filterShape [${convAttrs.filterShape.join(", ")}] does not fit x's ${info.inChannels} channels`);
      }
      const backend = asWasmBackend(rawBackend);
      const kernels = kernelsOnHeap(module, rawBackend);
      const dw = backend.makeOutput(filterShape, "float32");
      withPaddedInput(kernels, backend, x, info, (xOffset, height, width) =>
        kernels.conv2dFilterGrad(
          xOffset,
          heapOffset(backend, dy, "dy"),
          heapOffset(backend, dw, "dw"),
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
      return dw;
    };
}

/**
 * dx as a stride-1 correlation: dy is dilated by the stride and padded to "full" (the filter's
 * size less one, less the forward padding), then met with the filter flipped in space.
 */
export function makeConv2DBackpropInput(tf: TF, module: WebAssembly.Module) {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      const name = "Conv2DBackpropInput";
      const { dy, filter } = args.inputs;
      const convAttrs = (args.attrs ?? {}) as unknown as ConvAttrs & { inputShape: Shape4 };
      if (dy === undefined || filter === undefined) throw new Error(`${name} (wasm): inputs dy and filter are required`);
      if (convAttrs.dataFormat === "NCHW") {
        if (original === undefined) throw new Error(`${name} (wasm): only NHWC data is supported, got dataFormat NCHW`);
        return original(args as Parameters<KernelFunc>[0]);
      }
      const info = convInfo(tf, convAttrs.inputShape, filter.shape as Shape4, convAttrs);
      const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
      expectFloat32(name, "dy", dy, [batchSize, outHeight, outWidth, outChannels]);
      expectFloat32(name, "filter", filter, [filterHeight, filterWidth, inChannels, outChannels]);
      const backend = asWasmBackend(args.backend);
      const kernels = kernelsOnHeap(module, args.backend);
      const height = inHeight + filterHeight - 1;
      const width = inWidth + filterWidth - 1;
      // Channels padded to whole vectors; the padding is zero in both operands.
      const channels = Math.ceil(outChannels / 4) * 4;
      const dx = backend.makeOutput([...convAttrs.inputShape], "float32");
      withScratch(backend, [batchSize * height * width * channels, filterHeight * inChannels * filterWidth * channels], ([dyPad, flipped]) => {
        const dyPadOffset = heapOffset(backend, dyPad, "padded dy");
        const flippedOffset = heapOffset(backend, flipped, "flipped filter");
        kernels.scatterImage(
          heapOffset(backend, dy, "dy"),
          dyPadOffset,
          batchSize,
          outHeight,
          outWidth,
          outChannels,
          height,
          width,
          channels,
          filterHeight - 1 - info.padInfo.top,
          filterWidth - 1 - info.padInfo.left,
          info.strideHeight,
          info.strideWidth,
        );
        kernels.flipFilter(heapOffset(backend, filter, "filter"), flippedOffset, filterHeight, filterWidth, inChannels, outChannels, channels);
        kernels.conv2dInputGrad(
          dyPadOffset,
          flippedOffset,
          heapOffset(backend, dx, "dx"),
          batchSize,
          inHeight,
          inWidth,
          inChannels,
          height,
          width,
          channels,
          filterHeight,
          filterWidth,
        );
      });
      return dx;
    };
}
