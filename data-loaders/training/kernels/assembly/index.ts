// The training kernels' WebAssembly module. It imports its memory (tfjs-backend-wasm's heap, so
// kernels read and write tensors in place), declares no data, and never allocates: every buffer
// is passed in as a byte offset. Instantiated on a memory of its own instead, the same binary can
// serve a fused training step that keeps its weights in that memory between steps.
export { addBias, sumRows } from "./bias";
export { conv2d, conv2dFilterGrad, conv2dInputGrad } from "./conv";
export { flipFilter, scatterImage, transpose } from "./layout";
export { matMul } from "./matmul";
export { maxPool, maxPool2x2, maxPoolGrad, maxPoolGrad2x2 } from "./pool";
export {
  adamStep,
  addMasked,
  gateGradient,
  keepAtLeast,
  keepTopKOfDead,
  maskedRowDots,
  keepTopKPerRow,
  kthLargest,
  normalizeRows,
  reluWithGate,
  removeRowComponents,
  scale,
  scaledError,
  sgdStep,
  sigmoidWithGate,
  smallestPositive,
  sparseRowsTimes,
  sparseTransposeTimes,
  softmaxCrossEntropy,
  subtractBias,
  sumOfSquares,
  svmEpoch,
  tsneGradient,
} from "./elementwise";
