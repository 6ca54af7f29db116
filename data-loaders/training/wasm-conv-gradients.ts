// Conv2D training on tfjs-backend-wasm 4.22. Two kernels are missing or slow there:
// - Conv2DBackpropFilter does not exist, so a Conv2D layer cannot be trained at all. We register
//   one: an im2col followed by one matrix product on XNNPACK,
//     dW[kh, kw, ci, co] = sum over (n, oh, ow) of patch[n, oh, ow][kh, kw, ci] * dy[n, oh, ow, co],
//   i.e. dW = patchesᵀ · dy with patches laid out as rows (n, oh, ow) by columns (kh, kw, ci).
// - Conv2DBackpropInput exists but is a scalar loop. For stride 1 the input gradient is itself a
//   convolution (of dy with the filter flipped in space and with in/out channels swapped, padded
//   to "full"), so we run it on the XNNPACK forward Conv2D kernel; other strides keep the original.
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, backend_util } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import { asWasmBackend, float32View, runSingle, wasmKernel } from "./wasm-kernel-access.js";

type Conv2DInfo = backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/**
 * Writes the im2col matrix transposed: out[col * rows + row], col = (kh*FW + kw)*C + ci and
 * row = (n*OH + oh)*OW + ow. Transposed, it is the left operand of a plain (untransposed)
 * matMul, which is the only matMul form tfjs-backend-wasm runs on XNNPACK.
 */
export function fillTransposedPatches(x: Float32Array, info: Conv2DInfo, out: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rows = batchSize * outHeight * outWidth;
  if (out.length !== rows * filterHeight * filterWidth * inChannels) {
    throw new Error(`fillTransposedPatches: output holds ${out.length} values, expected ${rows * filterHeight * filterWidth * inChannels}`);
  }
  const step = strideWidth * inChannels;
  let col = 0;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      // Output columns whose input column iw = ow*strideWidth + kw*dilationWidth - left is inside
      // the image: the loop below copies those without bounds checks and zeroes the rest.
      const shift = kw * dilationWidth - left;
      const owStart = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
      const owEnd = Math.max(owStart, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / strideWidth) + 1));
      for (let ci = 0; ci < inChannels; ci++, col++) {
        let r = col * rows;
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++, r += outWidth) {
            const ih = oh * strideHeight + kh * dilationHeight - top;
            if (ih < 0 || ih >= inHeight) {
              out.fill(0, r, r + outWidth);
              continue;
            }
            for (let ow = 0; ow < owStart; ow++) out[r + ow] = 0;
            let source = ((n * inHeight + ih) * inWidth + owStart * strideWidth + shift) * inChannels + ci;
            for (let ow = owStart; ow < owEnd; ow++, source += step) out[r + ow] = x[source];
            for (let ow = owEnd; ow < outWidth; ow++) out[r + ow] = 0;
          }
        }
      }
    }
  }
}

function conv2DInfoFromAttrs(tf: TF, xShape: number[], attrs: NamedAttrMap): Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: "same" | "valid" | number | backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: Shape4;
  };
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(`Conv2DBackpropFilter (wasm): only NHWC data is supported, got dataFormat ${dataFormat}`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
}

function makeConv2DBackpropFilter(tf: TF) {
  return ({ inputs, backend: rawBackend, attrs }: { inputs: NamedTensorInfoMap; backend: object; attrs?: NamedAttrMap }): TensorInfo => {
    const x = inputs.x;
    const dy = inputs.dy;
    if (x === undefined || dy === undefined) throw new Error("Conv2DBackpropFilter (wasm): inputs x and dy are required");
    const backend = asWasmBackend(rawBackend);
    const info = conv2DInfoFromAttrs(tf, x.shape, attrs ?? {});
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const cols = info.filterHeight * info.filterWidth * info.inChannels;

    const patches = backend.makeOutput([cols, rows], "float32");
    // Views are taken after the allocation above, which may have grown (and detached) the heap.
    fillTransposedPatches(float32View(backend, x, "x"), info, float32View(backend, patches, "patches"));

    // dy is dense NHWC, so the same data read as [rows, outChannels] is the right operand.
    const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [rows, info.outChannels], dtype: dy.dtype };
    const product = runSingle(wasmKernel(tf, "BatchMatMul"), { a: patches, b: dyMatrix }, rawBackend, {
      transposeA: false,
      transposeB: false,
    });
    backend.disposeData(patches.dataId);
    // [cols, outChannels] has the memory layout of [FH, FW, inChannels, outChannels].
    product.shape = [...info.filterShape];
    return product;
  };
}

/** The input gradient of a stride-1 conv as a forward conv; other cases go to the original kernel. */
function makeConv2DBackpropInput(tf: TF, original: KernelFunc) {
  return (args: { inputs: NamedTensorInfoMap; backend: object; attrs?: NamedAttrMap }): TensorInfo | TensorInfo[] => {
    const { inputs, backend: rawBackend } = args;
    const attrs = (args.attrs ?? {}) as unknown as {
      strides: number | [number, number];
      pad: "same" | "valid" | number | backend_util.ExplicitPadding;
      dataFormat?: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      inputShape: Shape4;
    };
    const dy = inputs.dy;
    const filter = inputs.filter;
    if (dy === undefined || filter === undefined || (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC")) return original(args);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as Shape4,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      "channelsLast",
    );
    const { filterHeight, filterWidth, padInfo } = info;
    const fullPad = [
      filterHeight - 1 - padInfo.top,
      filterHeight - 1 - padInfo.bottom,
      filterWidth - 1 - padInfo.left,
      filterWidth - 1 - padInfo.right,
    ];
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || fullPad.some((p) => p < 0) || filter.dtype !== "float32") return original(args);

    const backend = asWasmBackend(rawBackend);
    const reversed = runSingle(wasmKernel(tf, "Reverse"), { x: filter }, rawBackend, { dims: [0, 1] });
    const flipped = runSingle(wasmKernel(tf, "Transpose"), { x: reversed }, rawBackend, { perm: [0, 1, 3, 2] });
    backend.disposeData(reversed.dataId);
    try {
      const dx = runSingle(wasmKernel(tf, "Conv2D"), { x: dy, filter: flipped }, rawBackend, {
        strides: [1, 1],
        pad: [
          [0, 0],
          [fullPad[0], fullPad[1]],
          [fullPad[2], fullPad[3]],
          [0, 0],
        ],
        dataFormat: "NHWC",
        dilations: [1, 1],
      });
      if (dx.shape.some((dim, i) => dim !== attrs.inputShape[i])) {
        backend.disposeData(dx.dataId);
        throw new Error(`Conv2DBackpropInput (wasm): computed shape [${dx.shape.join(", ")}], expected [${attrs.inputShape.join(", ")}]`);
      }
      return dx;
    } finally {
      backend.disposeData(flipped.dataId);
    }
  };
}

const WRAPPED = Symbol.for("mnist-interpretability.wasm-conv-backprop-input");

/**
 * Registers the wasm conv gradient kernels (idempotent): our Conv2DBackpropFilter, unless a later
 * tfjs ships its own, and the stride-1 fast path around Conv2DBackpropInput. Call before training
 * a conv model on wasm; initTrainingBackend does.
 */
export function registerWasmConvGradients(tf: TF): void {
  if (tf.getKernel("Conv2DBackpropFilter", "wasm") === undefined) {
    tf.registerKernel({
      kernelName: "Conv2DBackpropFilter",
      backendName: "wasm",
      kernelFunc: makeConv2DBackpropFilter(tf) as unknown as KernelFunc,
    });
  }
  const input = tf.getKernel("Conv2DBackpropInput", "wasm") as (KernelConfig & { [WRAPPED]?: true }) | undefined;
  if (input !== undefined && !input[WRAPPED]) {
    tf.unregisterKernel("Conv2DBackpropInput", "wasm");
    // The original's setupFunc travels along: the fallback path still needs it.
    tf.registerKernel({ ...input, kernelFunc: makeConv2DBackpropInput(tf, input.kernelFunc) as unknown as KernelFunc, [WRAPPED]: true } as KernelConfig);
  }
}
