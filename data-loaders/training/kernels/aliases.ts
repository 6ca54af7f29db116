// Identity, and Cast to the dtype a tensor already has, share the input's data instead of copying
// it. tfjs-backend-wasm 4.22 copies, which costs three full copies of the first conv's
// activations per training step (autodiff and fused ops call Identity); its Reshape already
// shares data this way, and the cpu backend's Identity does too. Tensors are immutable, so
// sharing is safe; the backend's reference count frees the data after the last user.
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { KernelArgs } from "./wasm-kernel-access.js";

interface RefCounting {
  incRef(dataId: object): void;
}

function share(backend: object, x: TensorInfo): TensorInfo {
  const counting = backend as Partial<RefCounting>;
  if (typeof counting.incRef !== "function") throw new Error("wasm kernel: the backend has no incRef, so data cannot be shared");
  counting.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function makeIdentity() {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      const { x } = args.inputs;
      if (original === undefined) throw new Error("Identity (wasm): tfjs-backend-wasm's own kernel is missing");
      if (x === undefined || x.dtype === "string") return original(args as Parameters<KernelFunc>[0]);
      return share(args.backend, x);
    };
}

export function makeCast() {
  return (original: KernelFunc | undefined) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      const { x } = args.inputs;
      if (original === undefined) throw new Error("Cast (wasm): tfjs-backend-wasm's own kernel is missing");
      if (x === undefined || x.dtype === "string" || args.attrs?.dtype !== x.dtype) return original(args as Parameters<KernelFunc>[0]);
      return share(args.backend, x);
    };
}
