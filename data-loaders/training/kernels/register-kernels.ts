// Installs our training kernels on tfjs-backend-wasm, in place of the ones that are missing or
// slow there (see each module): SIMD kernels compiled from ./assembly, and copy-free aliases. Idempotent; the compiled module is bound to the backend's heap
// the first time a kernel runs.
import type { TF } from "../../../src/lib/tf-types.js";
import { makeCast, makeIdentity } from "./aliases.js";
import { kernelModule } from "./build-kernels.js";
import { makeConv2D } from "./conv2d.js";
import { makeConv2DBackpropFilter, makeConv2DBackpropInput } from "./conv2d-gradients.js";
import { makeMatMul } from "./matmul.js";
import { makeMaxPool, makeMaxPoolGrad } from "./max-pool.js";
import { makeSum } from "./sum.js";
import { replaceWasmKernel } from "./wasm-kernel-access.js";

/** The wasm kernels we replace or add. */
export const TRAINING_KERNEL_NAMES = [
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "MaxPool",
  "MaxPoolGrad",
  "BatchMatMul",
  "_FusedMatMul",
  "Sum",
  "Identity",
  "Cast",
] as const;

/** Compiles the kernels if needed (offline; see build-kernels.ts) and registers them for wasm. */
export async function registerTrainingKernels(tf: TF): Promise<void> {
  const module = await kernelModule();
  replaceWasmKernel(tf, "Conv2D", makeConv2D(tf, module, "Conv2D"));
  replaceWasmKernel(tf, "FusedConv2D", makeConv2D(tf, module, "FusedConv2D"));
  replaceWasmKernel(tf, "Conv2DBackpropFilter", makeConv2DBackpropFilter(tf, module));
  replaceWasmKernel(tf, "Conv2DBackpropInput", makeConv2DBackpropInput(tf, module));
  replaceWasmKernel(tf, "MaxPool", makeMaxPool(tf, module));
  replaceWasmKernel(tf, "MaxPoolGrad", makeMaxPoolGrad(tf, module));
  replaceWasmKernel(tf, "BatchMatMul", makeMatMul(module, "BatchMatMul"));
  replaceWasmKernel(tf, "_FusedMatMul", makeMatMul(module, "_FusedMatMul"));
  replaceWasmKernel(tf, "Sum", makeSum(tf, module));
  replaceWasmKernel(tf, "Identity", makeIdentity());
  replaceWasmKernel(tf, "Cast", makeCast());
}
