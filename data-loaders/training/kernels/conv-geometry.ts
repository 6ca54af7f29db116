// What the convolution kernels share: the geometry tfjs computes for a conv, and the input with
// that geometry's padding applied (our kernels read only windows that lie inside their image).
import type { TensorInfo, backend_util } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";
import { withScratch } from "./heap-buffers.js";
import type { TrainingKernels } from "./kernel-module.js";
import { heapOffset, type WasmBackendAccess } from "./wasm-kernel-access.js";

export type Shape4 = [number, number, number, number];

export interface ConvAttrs {
  strides: number | [number, number];
  pad: "same" | "valid" | number | backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** tfjs's geometry for an NHWC conv with dilation 1. */
export function convInfo(tf: TF, xShape: Shape4, filterShape: Shape4, attrs: ConvAttrs): backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast");
}

/** Runs `use` on x with the conv's padding applied: x itself, or a zero-padded copy. */
export function withPaddedInput<T>(
  kernels: TrainingKernels,
  backend: WasmBackendAccess,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
  use: (offset: number, height: number, width: number) => T,
): T {
  const { top, bottom, left, right } = info.padInfo;
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return use(heapOffset(backend, x, "x"), info.inHeight, info.inWidth);
  const height = info.inHeight + top + bottom;
  const width = info.inWidth + left + right;
  const { batchSize, inHeight, inWidth, inChannels } = info;
  return withScratch(backend, [batchSize * height * width * inChannels], ([padded]) => {
    const offset = heapOffset(backend, padded, "padded x");
    kernels.scatterImage(heapOffset(backend, x, "x"), offset, batchSize, inHeight, inWidth, inChannels, height, width, inChannels, top, left, 1, 1);
    return use(offset, height, width);
  });
}
