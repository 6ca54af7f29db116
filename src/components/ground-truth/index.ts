// The ground-truth page's components, under one import.
export * from "./basis-summary.js";
export * from "./concepts-view.js";
export * from "./explanation-label.js";
export * from "./unit-explanations.js";
export * from "./seed-view.js";
export * from "./sae-checks-view.js";
