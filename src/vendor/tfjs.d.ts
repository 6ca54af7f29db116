// Types of the tfjs bundle that data-loaders/build/vendor.ts writes beside this file.
export * from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
