// The model report: every section of a model page as a component that takes a loaded model
// (ReportContext) and the shared computations, so a page is prose plus calls.
export * from "./context.js";
export * from "./training.js";
export * from "./activations.js";
export * from "./selectivity.js";
export * from "./interventions.js";
export * from "./predictions.js";
export * from "./embeddings.js";
export * from "./attribution.js";
export * from "./drawing.js";
export { cellError } from "../cell-error.js";
export { textControl, rangeControl, selectControl } from "../controls.js";
export { table } from "./table.js";
export * from "./class-attribution.js";
export { checkNumberInput } from "../../lib/validate-input.js";
