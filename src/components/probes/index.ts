// The probes page's sections, on one model's probe file (src/lib/probes/probe-file.ts).
export * from "./tables.js";
export * from "./charts.js";
export * from "./live.js";
export * from "./reading.js";
