// Types of the umap-js bundle that data-loaders/build/vendor.ts writes beside this file.
export { UMAP } from "umap-js";
