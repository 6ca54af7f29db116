// Max pooling and its gradient (NHWC, any window, stride and padding) on our SIMD kernels.
// tfjs-backend-wasm's MaxPoolGrad rescans every window around every input pixel in scalar code;
// its MaxPoolWithArgmax is wrong for inputs <= 0, so the gradient recomputes each window's
// maximum from the input instead. Ties go to the first maximum in row-major window order, as in
// tfjs's cpu backend.
import type { TensorInfo, backend_util } from "@tensorflow/tfjs";
import type { TF } from "../../../src/lib/tf-types.js";
import { expectFloat32 } from "./heap-buffers.js";
import { kernelsOnHeap } from "./kernel-module.js";
import { asWasmBackend, heapOffset, type KernelArgs } from "./wasm-kernel-access.js";

type Shape4 = [number, number, number, number];

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function poolInfo(tf: TF, kernel: string, x: TensorInfo, attrs: PoolAttrs): backend_util.Conv2DInfo {
  if (x.shape.length !== 4) throw new Error(`${kernel} (wasm): the input must be rank 4 (NHWC), got shape [${x.shape.join(", ")}]`);
  return tf.backend_util.computePool2DInfo(x.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/** 2x2 windows at stride 2 with no padding on any side: the kernels' fast path. */
function isPlain2x2(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0;
  return filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && unpadded;
}

/** The kernel's geometry arguments: n, h, w, c, oh, ow, fh, fw, sh, sw, top, left. */
function geometry(info: backend_util.Conv2DInfo): [number, number, number, number, number, number, number, number, number, number, number, number] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

export function makeMaxPool(tf: TF, module: WebAssembly.Module) {
  return () =>
    ({ inputs, backend: rawBackend, attrs }: KernelArgs): TensorInfo => {
      const { x } = inputs;
      if (x === undefined) throw new Error("MaxPool (wasm): input x is required");
      const info = poolInfo(tf, "MaxPool", x, (attrs ?? {}) as unknown as PoolAttrs);
      expectFloat32("MaxPool", "x", x, [info.batchSize, info.inHeight, info.inWidth, info.inChannels]);
      const backend = asWasmBackend(rawBackend);
      const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], "float32");
      const kernels = kernelsOnHeap(module, rawBackend);
      if (isPlain2x2(info))
        kernels.maxPool2x2(heapOffset(backend, x, "x"), heapOffset(backend, y, "y"), info.batchSize, info.inHeight, info.inWidth, info.inChannels);
      else kernels.maxPool(heapOffset(backend, x, "x"), heapOffset(backend, y, "y"), ...geometry(info));
      return y;
    };
}

export function makeMaxPoolGrad(tf: TF, module: WebAssembly.Module) {
  return () =>
    ({ inputs, backend: rawBackend, attrs }: KernelArgs): TensorInfo => {
      const { dy, input } = inputs;
      if (dy === undefined || input === undefined) throw new Error("MaxPoolGrad (wasm): inputs dy and input are required");
      const info = poolInfo(tf, "MaxPoolGrad", input, (attrs ?? {}) as unknown as PoolAttrs);
      expectFloat32("MaxPoolGrad", "input", input, [info.batchSize, info.inHeight, info.inWidth, info.inChannels]);
      expectFloat32("MaxPoolGrad", "dy", dy, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
      const backend = asWasmBackend(rawBackend);
      const dx = backend.makeOutput([...input.shape], "float32");
      const kernels = kernelsOnHeap(module, rawBackend);
      const [inputOffset, dyOffset, dxOffset] = [heapOffset(backend, input, "input"), heapOffset(backend, dy, "dy"), heapOffset(backend, dx, "dx")];
      if (isPlain2x2(info)) kernels.maxPoolGrad2x2(inputOffset, dyOffset, dxOffset, info.batchSize, info.inHeight, info.inWidth, info.inChannels);
      else kernels.maxPoolGrad(inputOffset, dyOffset, dxOffset, ...geometry(info));
      return dx;
    };
}
