// A rows × cols table of numbers as coloured cells: class × unit means, unit × epoch drift,
// selectivity, confusion matrices and their deltas. NaN cells are drawn grey as "no data".
import * as Plot from "@observablehq/plot";
import {
  DIVERGING_SCHEME,
  NO_DATA_FILL,
  SEQUENTIAL_SCHEME,
  assertLength,
  assertUniqueLabels,
  labelWidth,
  resolveWidth,
  setTestId,
  thinTicks,
  type ChartElement,
} from "./chart-helpers.js";

export interface HeatmapInput {
  rows: number;
  cols: number;
  /** rows × cols values, row-major: data[row * cols + col]. NaN = no data. */
  data: ArrayLike<number>;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  xLabel: string;
  yLabel: string;
  /** "sequential" for non-negative values, "diverging" for signed values (centred at 0). */
  scheme: "sequential" | "diverging";
  /** Colour domain; default [0 or min, max] (sequential) or [−m, m] with m = max |value| (diverging). */
  domain?: [number, number];
  title?: string;
  /** Legend and tooltip name of the values, with unit, e.g. "mean activation". */
  valueLabel?: string;
  valueFormat?: (value: number) => string;
  width?: number;
  /** Total height in pixels; by default cells are about square, within limits. */
  height?: number;
  /** Cells to outline, e.g. the ablated unit or the selected class. */
  highlightCells?: readonly { row: number; col: number }[];
  /** Write each value in its cell (confusion matrices). */
  cellText?: boolean;
}

interface Cell {
  row: string;
  col: string;
  value: number;
}

const MARGIN_TOP = 10;
const MARGIN_RIGHT = 10;
const MARGIN_BOTTOM = 40;
const MAX_PLOT_HEIGHT = 640;

export function heatmap(input: HeatmapInput): ChartElement {
  const { rows, cols, data, xLabel, yLabel, scheme, title, cellText = false } = input;
  const width = resolveWidth(input.width, "heatmap");
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new Error(`heatmap: expected positive integer rows and cols, found ${rows} × ${cols}`);
  }
  assertLength(data, rows * cols, `heatmap data (rows × cols = ${rows} × ${cols})`);
  if (scheme !== "sequential" && scheme !== "diverging") {
    throw new Error(`heatmap scheme: expected "sequential" or "diverging", found ${String(scheme)}`);
  }
  const rowLabels = input.rowLabels ? [...input.rowLabels] : indexLabels(rows);
  const colLabels = input.colLabels ? [...input.colLabels] : indexLabels(cols);
  assertLength(rowLabels, rows, "heatmap rowLabels");
  assertLength(colLabels, cols, "heatmap colLabels");
  assertUniqueLabels(rowLabels, "heatmap rowLabels");
  assertUniqueLabels(colLabels, "heatmap colLabels");

  const cells: Cell[] = [];
  let missing = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = data[r * cols + c];
      if (typeof value !== "number" || value === Infinity || value === -Infinity) {
        throw new Error(`heatmap data[${r * cols + c}] (row ${r}, col ${c}): expected a finite number or NaN, found ${String(value)}`);
      }
      if (Number.isNaN(value)) missing++;
      cells.push({ row: rowLabels[r], col: colLabels[c], value });
    }
  }

  const domain = input.domain ?? defaultDomain(cells, scheme);
  if (domain.length !== 2 || !domain.every(Number.isFinite) || !(domain[0] < domain[1])) {
    throw new Error(`heatmap domain: expected [low, high] with finite low < high, found [${domain.join(", ")}]`);
  }
  if (scheme === "diverging" && !(domain[0] <= 0 && domain[1] >= 0)) {
    throw new Error(`heatmap domain: a diverging scheme is centred at 0, so expected low ≤ 0 ≤ high, found [${domain.join(", ")}]`);
  }
  const format = input.valueFormat ?? defaultFormat(cells, scheme);
  // Legend ticks can fall between integers even for counts, so they get a decimal format.
  const legendFormat = input.valueFormat ?? numberFormat(false, scheme);
  const valueLabel = input.valueLabel ?? "value";

  const highlights = (input.highlightCells ?? []).map(({ row, col }, i) => {
    if (!Number.isInteger(row) || row < 0 || row >= rows || !Number.isInteger(col) || col < 0 || col >= cols) {
      throw new Error(`heatmap highlightCells[${i}]: expected row in [0, ${rows - 1}] and col in [0, ${cols - 1}], found row ${row}, col ${col}`);
    }
    return { row: rowLabels[row], col: colLabels[col] };
  });

  // Size cells to be about square, but keep tall matrices on screen and text cells legible.
  const longestRowLabel = Math.max(...rowLabels.map(labelWidth));
  const marginLeft = Math.max(40, longestRowLabel + 28);
  const plotWidth = Math.max(10, width - marginLeft - MARGIN_RIGHT);
  const cellWidth = plotWidth / cols;
  // At least 14 px per row (one legible label each) unless there are too many rows for that.
  let cellHeight = Math.min(40, Math.max(cellText ? 18 : 14, cellWidth));
  if (rows * cellHeight > MAX_PLOT_HEIGHT) cellHeight = Math.max(cellText ? 18 : 3, MAX_PLOT_HEIGHT / rows);
  const height = input.height ?? Math.round(rows * cellHeight + MARGIN_TOP + MARGIN_BOTTOM);
  const plotHeight = height - MARGIN_TOP - MARGIN_BOTTOM;
  const longestColLabel = Math.max(...colLabels.map(labelWidth));

  const tip = (d: Cell) => `${yLabel}: ${d.row}\n${xLabel}: ${d.col}\n${valueLabel}: ${Number.isNaN(d.value) ? "no data" : format(d.value)}`;
  const padding = Math.max(rows, cols) <= 40 ? 0.04 : 0;
  // One cell mark for all cells (so one tip); the colour scale's `unknown` paints NaN grey.
  const marks: Plot.Markish[] = [Plot.cell(cells, { x: "col", y: "row", fill: "value", title: tip, tip: true })];
  if (cellText) {
    // The longest value fits its cell: the text shrinks in narrow cells (a phone), down to 8 px.
    const longestValue = Math.max(...cells.map((d) => (Number.isNaN(d.value) ? 0 : textEms(format(d.value)))));
    const fontSize = Math.max(8, Math.min(11, (cellWidth * (1 - padding) - 3) / longestValue));
    // White text on dark cells; two marks rather than a fill channel, which would go through the colour scale.
    for (const dark of [false, true]) {
      const subset = cells.filter((d) => !Number.isNaN(d.value) && strongColour(d.value, domain, scheme) === dark);
      marks.push(
        Plot.text(subset, { x: "col", y: "row", text: (d: Cell) => format(d.value), fill: dark ? "white" : "black", fontSize, pointerEvents: "none" }),
      );
    }
  }
  if (highlights.length > 0) {
    marks.push(Plot.cell(highlights, { x: "col", y: "row", fill: "none", stroke: "#ff8c00", strokeWidth: 2.5, inset: 0.5 }));
  }

  const chart = Plot.plot({
    width,
    height,
    marginLeft,
    marginTop: MARGIN_TOP,
    marginRight: MARGIN_RIGHT,
    marginBottom: MARGIN_BOTTOM,
    title,
    caption: missing > 0 ? `Grey cells: no data (${missing} of ${rows * cols}).` : undefined,
    x: { type: "band", domain: colLabels, padding, label: xLabel, ticks: thinTicks(colLabels, plotWidth / (longestColLabel + 8)), tickSize: 0 },
    y: { type: "band", domain: rowLabels, padding, label: yLabel, ticks: thinTicks(rowLabels, plotHeight / 12), tickSize: 0, labelAnchor: "center" },
    color:
      scheme === "diverging"
        ? {
            type: "diverging",
            scheme: DIVERGING_SCHEME,
            pivot: 0,
            domain,
            clamp: true,
            unknown: NO_DATA_FILL,
            legend: true,
            label: valueLabel,
            tickFormat: legendFormat,
          }
        : { type: "linear", scheme: SEQUENTIAL_SCHEME, domain, clamp: true, unknown: NO_DATA_FILL, legend: true, label: valueLabel, tickFormat: legendFormat },
    marks,
  });
  return setTestId(chart, "heatmap");
}

/** Rough width of a number in ems of a sans-serif font (digits about 0.6 em, separators narrower). */
function textEms(text: string): number {
  let ems = 0;
  for (const char of text) ems += ",. ".includes(char) ? 0.3 : 0.6;
  return ems;
}

function indexLabels(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}

function defaultDomain(cells: readonly Cell[], scheme: "sequential" | "diverging"): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of cells) {
    if (Number.isNaN(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (scheme === "diverging") {
    const extent = Math.max(Math.abs(min), Math.abs(max));
    return Number.isFinite(extent) && extent > 0 ? [-extent, extent] : [-1, 1];
  }
  if (!Number.isFinite(min)) return [0, 1];
  const low = Math.min(0, min);
  return max > low ? [low, max] : [low, low + 1];
}

function defaultFormat(cells: readonly Cell[], scheme: "sequential" | "diverging"): (value: number) => string {
  const finite = cells.filter((d) => !Number.isNaN(d.value));
  return numberFormat(finite.length > 0 && finite.every((d) => Number.isInteger(d.value)), scheme);
}

function numberFormat(integers: boolean, scheme: "sequential" | "diverging"): (value: number) => string {
  const options: Intl.NumberFormatOptions = integers ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 3 };
  if (scheme === "diverging") options.signDisplay = "exceptZero";
  const formatter = new Intl.NumberFormat("en-US", { ...options, useGrouping: false });
  return (value) => formatter.format(value).replace("-", "\u2212");
}

/** Whether the cell's colour is dark enough to need white text. */
function strongColour(value: number, [low, high]: [number, number], scheme: "sequential" | "diverging"): boolean {
  if (scheme === "diverging") return Math.abs(value) / Math.max(-low, high) > 0.6;
  return (value - low) / (high - low) > 0.55;
}
