// tfjs-backend-wasm 4.22's MaxPoolGrad rescans every window around every input pixel in scalar
// C++, which made it a fifth of CNN training time. This replacement visits each output window
// once and routes its gradient to the window's maximum, reading channels contiguously. Ties go to
// the first maximum in row-major window order, as in the cpu backend.
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import { asWasmBackend, float32View } from "./wasm-kernel-access.js";

type Pool2DInfo = import("@tensorflow/tfjs").backend_util.Conv2DInfo;

/** dx for max pooling (NHWC): dx[argmax of window] += dy[window], zero elsewhere. */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, info: Pool2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  let dyIndex = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const hStart = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const wStart = ow * strideWidth - left;
        let first = true;
        for (let kh = 0; kh < effectiveFilterHeight; kh += dilationHeight) {
          const ih = hStart + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < effectiveFilterWidth; kw += dilationWidth) {
            const iw = wStart + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const base = ((n * inHeight + ih) * inWidth + iw) * channels;
            if (first) {
              // The first position in the window seeds the running maximum (unless it is NaN,
              // which, as in the cpu backend, never becomes the maximum).
              first = false;
              for (let c = 0; c < channels; c++) {
                const value = x[base + c];
                best[c] = value > Number.NEGATIVE_INFINITY ? value : Number.NEGATIVE_INFINITY;
                where[c] = value > Number.NEGATIVE_INFINITY ? base + c : -1;
              }
              continue;
            }
            for (let c = 0; c < channels; c++) {
              const value = x[base + c];
              if (value > best[c]) {
                best[c] = value;
                where[c] = base + c;
              }
            }
          }
        }
        if (first) {
          dyIndex += channels;
          continue;
        }
        for (let c = 0; c < channels; c++, dyIndex++) {
          if (where[c] >= 0) dx[where[c]] += dy[dyIndex];
        }
      }
    }
  }
}

function makeMaxPoolGrad(tf: TF, original: KernelFunc) {
  return (args: { inputs: NamedTensorInfoMap; backend: object; attrs?: NamedAttrMap }): TensorInfo | TensorInfo[] => {
    const { dy, input } = args.inputs;
    const attrs = (args.attrs ?? {}) as unknown as {
      filterSize: number | [number, number];
      strides: number | [number, number];
      pad: "same" | "valid" | number;
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    if (dy === undefined || input === undefined || input.dtype !== "float32" || dy.dtype !== "float32") return original(args);
    const backend = asWasmBackend(args.backend);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const dx = backend.makeOutput(input.shape, "float32");
    // Views after the allocation, which may have grown the heap.
    maxPoolGradInto(float32View(backend, input, "input"), float32View(backend, dy, "dy"), info, float32View(backend, dx, "dx"));
    return dx;
  };
}

const WRAPPED = Symbol.for("mnist-interpretability.wasm-max-pool-grad");

/** Replaces the wasm MaxPoolGrad kernel (idempotent). */
export function registerWasmPoolGradients(tf: TF): void {
  const original = tf.getKernel("MaxPoolGrad", "wasm") as (KernelConfig & { [WRAPPED]?: true }) | undefined;
  if (original === undefined || original[WRAPPED]) return;
  tf.unregisterKernel("MaxPoolGrad", "wasm");
  tf.registerKernel({ ...original, kernelFunc: makeMaxPoolGrad(tf, original.kernelFunc) as unknown as KernelFunc, [WRAPPED]: true } as KernelConfig);
}
