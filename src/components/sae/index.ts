// The sparse-autoencoder page's sections, on a loaded model, a layer's activations and the
// build's sweep file (src/lib/sae/sweep-file.ts) of that layer.
export * from "./layer-data.js";
export * from "./sweep-view.js";
export * from "./live.js";
export * from "./dashboard.js";
export * from "./semantics.js";
export * from "./steering-runner.js";
export * from "./inversion.js";
export * from "./reading.js";
