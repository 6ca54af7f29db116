// The planted-feature benchmark's section of the ground-truth page: its controls and run
// (run.ts) and what it shows (views.ts).
export * from "./run.js";
export * from "./views.js";
export * from "./build-run-view.js";
