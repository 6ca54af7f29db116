// What the planted-feature benchmark shows: its progress, then a table of every SAE's scores next
// to the random dictionary's, a chart of MCC against the label-style score, a reading computed
// from the numbers, and the downloads.
import * as Plot from "@observablehq/plot";
import { PLANTED_NOISE, plantedReading } from "../../lib/planted/benchmark.js";
import { cellError } from "../cell-error.js";
import { CATEGORICAL_SCHEME, chartRow, resolveWidth, setTestId } from "../chart-helpers.js";
import type { PlantedResult, PlantedStep } from "./run.js";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : "n/a");

/** A progress bar and a line of text (or the error). */
export function plantedProgressView(step: PlantedStep): Element {
  if (step.state === "error") return cellError(step.error);
  const p = document.createElement("p");
  p.dataset.testid = "planted-status";
  if (step.state === "done") {
    const { result } = step;
    p.textContent =
      `Trained ${result.rows.length} SAE${result.rows.length === 1 ? "" : "s"} of ${result.dSae} latents, ${result.steps} steps each, on ${result.backend || "no backend"}; ` +
      `${result.spec.samples} samples planted in ${result.generateSeconds.toFixed(2)} s; everything took ${result.totalSeconds.toFixed(1)} s.`;
    return p;
  }
  const { phase, architecture, index, total, training, elapsedSeconds } = step.progress;
  const bar = document.createElement("progress");
  // One unit per architecture, split by the worker's steps.
  bar.max = Math.max(1, total);
  bar.value = phase === "scoring" ? total : index + (training ? training.step / training.steps : 0);
  const text =
    phase === "generating"
      ? "planting the features…"
      : phase === "scoring"
        ? "scoring the last SAE against the true features…"
        : `training ${architecture} (${index + 1} of ${total})${training ? `: step ${training.step} of ${training.steps}, L0 ${training.l0.toFixed(2)}, ${(100 * training.deadFraction).toFixed(0)}% dead` : ": starting the worker…"}`;
  p.append(bar, ` ${text} (${elapsedSeconds.toFixed(1)} s)`);
  return p;
}

export interface PlantedResultsOptions {
  width?: number;
  /** The cell's invalidation: the download links' Blob URLs are revoked when it resolves. */
  invalidation?: Promise<unknown>;
}

/** The table, the chart, the reading and the downloads; a placeholder until the run is done (errors show in the progress view). */
export function plantedResultsView(step: PlantedStep, options: PlantedResultsOptions = {}): Element {
  const box = document.createElement("div");
  if (step.state !== "done") {
    if (step.state === "progress") {
      box.textContent = "The scores appear here when every SAE has trained.";
      box.className = "muted";
    }
    return box;
  }
  const { result } = step;
  setTestId(box, "planted-results");
  // Eleven columns do not fit a phone: the table scrolls inside its own box, not the page.
  const scroller = document.createElement("div");
  scroller.style.overflowX = "auto";
  scroller.style.maxWidth = "100%";
  scroller.append(resultsTable(result));
  box.append(scroller, resultsCharts(result, resolveWidth(options.width, "plantedResultsView")));
  const reading = document.createElement("p");
  reading.dataset.testid = "planted-reading";
  reading.textContent = plantedReading(result.rows, result.control, PLANTED_NOISE);
  box.append(reading, downloads(result, options.invalidation));
  return box;
}

const COLUMNS = [
  "architecture",
  "MCC",
  "mean max |cos|",
  "coverage",
  "firing F1",
  "precision",
  "recall",
  "L0",
  "dead",
  "label-style score",
  "seconds",
] as const;

function resultsTable(result: PlantedResult): HTMLTableElement {
  const table = document.createElement("table");
  table.dataset.testid = "planted-table";
  const head = table.createTHead().insertRow();
  for (const column of COLUMNS) {
    const th = document.createElement("th");
    th.textContent = column;
    head.append(th);
  }
  const body = table.createTBody();
  const rows = [
    ...result.rows.map((r) => ({ row: r, name: r.architecture, seconds: r.seconds.toFixed(1) })),
    { row: result.control, name: "random", seconds: "" },
  ];
  for (const { row, name, seconds } of rows) {
    const tr = body.insertRow();
    tr.dataset.testid = `planted-row-${name}`;
    const cells = [
      name === "random" ? `random (k ${result.controlK})` : name,
      f2(row.mcc),
      f2(row.meanMaxCos),
      f2(row.coverage),
      f2(row.f1),
      f2(row.precision),
      f2(row.recall),
      row.l0.toFixed(2),
      pct(row.deadFraction),
      f2(row.labelScore),
      seconds,
    ];
    cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      if (COLUMNS[i] === "MCC") td.dataset.testid = `planted-mcc-${name}`;
      if (i > 0) td.style.textAlign = "right";
    });
  }
  return table;
}

function resultsCharts(result: PlantedResult, width: number): Element {
  const rows = result.rows.map((r) => ({ architecture: r.architecture, mcc: r.mcc, label: r.labelScore, f1: r.f1 }));
  const control = result.control;
  const narrow = width < 560;
  const chartWidth = narrow ? width : Math.floor((width - 24) / 2);
  const bars = Plot.plot({
    width: chartWidth,
    height: 240,
    marginLeft: 80,
    x: { label: "MCC (Hungarian-matched mean |cos|)", domain: [0, 1], grid: true },
    y: { label: null },
    color: { scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.barX(rows, { y: "architecture", x: "mcc", fill: "architecture", tip: true }),
      Plot.ruleX([control.mcc], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.text([control.mcc], { x: (d: number) => d, frameAnchor: "top", dy: 2, dx: 4, textAnchor: "start", text: () => `random ${f2(control.mcc)}` }),
    ],
  }) as Element;
  const points = [
    ...rows.map((r) => ({ ...r, kind: "SAE" })),
    { architecture: "random", mcc: control.mcc, label: control.labelScore, f1: control.f1, kind: "control" },
  ];
  const scatter = Plot.plot({
    width: chartWidth,
    height: 240,
    grid: true,
    x: { label: "MCC against the true features", domain: [0, 1] },
    y: { label: "label-style score", domain: [0, 1] },
    color: { scheme: CATEGORICAL_SCHEME, domain: [...rows.map((r) => r.architecture), "random"] },
    marks: [
      Plot.dot(
        points.filter((p) => Number.isFinite(p.label)),
        {
          x: "mcc",
          y: "label",
          fill: "architecture",
          r: 5,
          symbol: (p: { kind: string }) => (p.kind === "control" ? "times" : "circle"),
          stroke: "architecture",
          tip: true,
        },
      ),
      Plot.text(
        points.filter((p) => Number.isFinite(p.label)),
        { x: "mcc", y: "label", text: "architecture", dx: 8, textAnchor: "start" },
      ),
    ],
  }) as Element;
  return setTestId(chartRow([setTestId(bars, "planted-chart-mcc"), setTestId(scatter, "planted-chart-scores")], 24), "planted-charts");
}

function downloads(result: PlantedResult, invalidation: Promise<unknown> | undefined): Element {
  const p = document.createElement("p");
  p.dataset.testid = "planted-downloads";
  const urls: string[] = [];
  const link = (name: string): HTMLAnchorElement => {
    const file = result.files.find((f) => f.name === name);
    const a = document.createElement("a");
    if (!file) return a;
    const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }));
    urls.push(url);
    a.href = url;
    a.download = file.name;
    a.textContent = file.name;
    return a;
  };
  const { n, d } = result.spec;
  p.append(
    "Downloads: ",
    link("planted-features.safetensors"),
    ` (float32 tensors "directions" [${n}, ${d}], the true unit directions, and "<architecture>.W_dec" [${result.dSae}, ${d}], each SAE's decoder rows), and `,
    link("planted-generator.json"),
    " (the spec, every formula of the generator, and each feature's firing probability, parent and group).",
  );
  void invalidation?.then(() => urls.forEach((url) => URL.revokeObjectURL(url)));
  return p;
}
