// The build's planted-benchmark run (data-loaders/planted/build-run.ts): every architecture on the
// default spec at the default steps, as a table beside the random control, with the reading and
// the exported files, so the section has its answer before (or without) a live run.
import { plantedReading, PLANTED_NOISE, type PlantedRow } from "../../lib/planted/benchmark.js";
import { setTestId } from "../chart-helpers.js";

export interface BuildRunRow {
  architecture: string;
  mcc: number;
  meanMaxCos: number;
  f1: number;
  l0: number;
  deadFraction: number;
  labelScore: number;
  seconds?: number;
}

export interface BuildRun {
  spec: { d: number; n: number; samples: number };
  steps: number;
  dSae: number;
  controlK: number;
  rows: BuildRunRow[];
  control: BuildRunRow;
  seconds: number;
}

/** Checks the parsed run.json enough to render it; throws naming the file. */
export function checkBuildRun(value: unknown, source: string): BuildRun {
  const run = value as Partial<BuildRun> | null;
  if (!run || !Array.isArray(run.rows) || !run.control || !run.spec)
    throw new Error(`${source}: expected the build's planted run (spec, rows, control), found ${JSON.stringify(value)?.slice(0, 80)}`);
  return run as BuildRun;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");

export function buildRunRows(run: BuildRun): Record<string, unknown>[] {
  return [...run.rows, { ...run.control, architecture: `random (k ${run.controlK})` }].map((r) => ({
    Architecture: r.architecture,
    MCC: f2(r.mcc),
    "Mean max |cos|": f2(r.meanMaxCos),
    "Firing F1": f2(r.f1),
    L0: r.l0.toFixed(2),
    Dead: `${(100 * r.deadFraction).toFixed(0)}%`,
    "Label-style score": f2(r.labelScore),
  }));
}

export function buildRunReading(run: BuildRun): HTMLElement {
  const p = setTestId(document.createElement("p"), "planted-build-reading");
  p.textContent =
    `The build trained each architecture for ${run.steps} steps on ${run.spec.samples} samples of ${run.spec.n} features in ${run.spec.d} dimensions (${run.dSae} latents). ` +
    plantedReading(run.rows as unknown as PlantedRow[], run.control as unknown as PlantedRow, PLANTED_NOISE);
  return p;
}
