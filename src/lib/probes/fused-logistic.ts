// logistic.ts' objective (mean softmax cross-entropy + (λ/2)·ΣW², the biases unpenalized) on the
// fused WebAssembly kernels: the standardized rows stay in a WebAssembly memory and one evaluation
// is two SIMD matrix products and one softmax pass, with no tfjs kernel and no transfer back but
// the gradient. The classes are padded to a multiple of 4 (whole SIMD vectors); the padding
// columns carry zero weights and take no part in the softmax.
import type { ActivationMatrix } from "../analysis/types.js";
import { KernelWorkspace, matMul } from "../wasm/workspace.js";
import type { Objective } from "./lbfgs.js";

/** The same objective as logisticObjective, over the same parameters [W as features × classes, then the biases]. */
export function fusedLogisticObjective(kernels: WebAssembly.Module, x: ActivationMatrix, labels: ArrayLike<number>, classes: number, l2: number): Objective {
  const { rows, cols } = x;
  const stride = Math.ceil(classes / 4) * 4;
  const ws = new KernelWorkspace(kernels);
  const rowsBuffer = ws.copyOf(x.data);
  const labelBuffer = ws.copyOf(labels);
  const weights = ws.buffer(cols * stride);
  const bias = ws.buffer(stride);
  const logits = ws.buffer(rows * stride);
  const weightGradient = ws.buffer(cols * stride);
  const biasGradient = ws.buffer(stride);
  const size = cols * classes;
  return async (params, gradient) => {
    const w = weights.data;
    for (let f = 0; f < cols; f++) for (let k = 0; k < classes; k++) w[f * stride + k] = params[f * classes + k];
    for (let k = 0; k < classes; k++) bias.data[k] = params[size + k];
    matMul(ws, rowsBuffer, weights, logits, rows, cols, stride);
    ws.kernels.addBias(logits.offset, bias.offset, rows, stride);
    // Leaves the residual (p − onehot) / rows in the logits' place.
    const crossEntropy = ws.kernels.softmaxCrossEntropy(logits.offset, labelBuffer.offset, rows, classes, stride, 1 / rows) / rows;
    matMul(ws, rowsBuffer, logits, weightGradient, cols, rows, stride, { transposeA: true });
    ws.kernels.sumRows(logits.offset, biasGradient.offset, rows, stride);
    const gw = weightGradient.data;
    let penalty = 0;
    for (let f = 0; f < cols; f++) {
      for (let k = 0; k < classes; k++) {
        const i = f * classes + k;
        penalty += params[i] * params[i];
        gradient[i] = gw[f * stride + k] + l2 * params[i];
      }
    }
    for (let k = 0; k < classes; k++) gradient[size + k] = biasGradient.data[k];
    return crossEntropy + (l2 / 2) * penalty;
  };
}
