// The training kernels' WebAssembly module. It imports its memory (tfjs-backend-wasm's heap, so
// kernels read and write tensors in place), declares no data, and never allocates: every buffer
// is passed in as a byte offset.
export { addBias, sumRows } from "./bias";
export { conv2d, conv2dFilterGrad, conv2dInputGrad } from "./conv";
export { flipFilter, scatterImage, transpose } from "./layout";
export { matMul } from "./matmul";
export { maxPool, maxPool2x2, maxPoolGrad, maxPoolGrad2x2 } from "./pool";
