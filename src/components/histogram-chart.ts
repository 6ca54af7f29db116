// Overlaid histograms (one step outline and light area per series), optionally as the share of
// each series so that a class-conditional histogram can be compared with the whole set.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertNonEmptyArray,
  assertNumber,
  assertUniqueLabels,
  formatNumber,
  resolveWidth,
  setTestId,
  type ChartElement,
} from "./chart-helpers.js";

export interface HistogramSeries {
  label: string;
  /** counts.length + 1 increasing bin edges. */
  edges: ArrayLike<number>;
  counts: ArrayLike<number>;
}

export interface HistogramChartOptions {
  width?: number;
  height?: number;
  /** What was binned, with its unit, e.g. "activation of unit 3". */
  xLabel?: string;
  /** What was counted; default "examples". */
  yLabel?: string;
  /** Show each series' bins as a percentage of that series' total instead of counts. */
  normalize?: boolean;
  title?: string;
}

interface Bin {
  series: string;
  lo: number;
  hi: number;
  mid: number;
  count: number;
  value: number;
}

export function histogramChart(series: readonly HistogramSeries[], options: HistogramChartOptions = {}): ChartElement {
  const { xLabel = "value", yLabel = "examples", normalize = false, title } = options;
  const width = resolveWidth(options.width, "histogramChart");
  assertNonEmptyArray(series, "histogramChart series");
  series.forEach((s, i) => checkSeries(s, `histogramChart series[${i}]`));
  assertUniqueLabels(
    series.map((s) => s.label),
    "histogramChart series labels",
  );

  const bins: Bin[] = [];
  // The step outline needs one more point than bins: the last bin's right edge.
  const outline: { series: string; x: number; y: number }[] = [];
  const legendNames: string[] = [];
  for (const s of series) {
    let total = 0;
    for (let i = 0; i < s.counts.length; i++) total += s.counts[i];
    const name = `${s.label} (n = ${total})`;
    legendNames.push(name);
    const n = s.counts.length;
    for (let i = 0; i < n; i++) {
      const count = s.counts[i];
      const value = normalize ? (total > 0 ? (100 * count) / total : 0) : count;
      bins.push({ series: name, lo: s.edges[i], hi: s.edges[i + 1], mid: (s.edges[i] + s.edges[i + 1]) / 2, count, value });
      outline.push({ series: name, x: s.edges[i], y: value });
    }
    outline.push({ series: name, x: s.edges[n], y: outline[outline.length - 1].y });
  }

  const tipText = (d: Bin) =>
    `${d.series}\n${xLabel}: ${formatNumber(d.lo)} to ${formatNumber(d.hi)}\n${yLabel}: ${d.count}` + (normalize ? ` (${formatNumber(d.value, 2)}%)` : "");

  const chart = Plot.plot({
    width,
    height: options.height ?? 240,
    marginLeft: 55,
    title,
    x: { label: xLabel },
    y: { label: normalize ? `share of ${yLabel} (%)` : yLabel, grid: true },
    color: { domain: legendNames, scheme: CATEGORICAL_SCHEME, legend: true },
    marks: [
      Plot.areaY(outline, { x: "x", y1: 0, y2: "y", z: "series", fill: "series", fillOpacity: 0.18, curve: "step-after" }),
      Plot.lineY(outline, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.5, curve: "step-after" }),
      Plot.ruleY([0]),
      Plot.tip(bins, Plot.pointerX({ x: "mid", y: "value", stroke: "series", title: tipText })),
    ],
  });
  return setTestId(chart, "histogram-chart");
}

function checkSeries(s: HistogramSeries, where: string): void {
  if (s == null || typeof s.label !== "string") throw new Error(`${where}.label: expected a string, found ${s == null ? s : typeof s.label}`);
  const counts = s.counts;
  const edges = s.edges;
  if (counts == null || typeof counts.length !== "number" || counts.length === 0) {
    throw new Error(`${where}.counts ("${s.label}"): expected at least one bin count, found ${counts == null ? counts : counts.length}`);
  }
  if (edges == null || edges.length !== counts.length + 1) {
    throw new Error(
      `${where}.edges ("${s.label}"): expected counts.length + 1 = ${counts.length + 1} bin edges, found ${edges == null ? edges : edges.length}`,
    );
  }
  for (let i = 0; i < edges.length; i++) {
    assertNumber(edges[i], `${where}.edges[${i}] ("${s.label}")`);
    if (i > 0 && !(edges[i] > edges[i - 1])) {
      throw new Error(`${where}.edges ("${s.label}"): expected increasing edges, found ${edges[i - 1]} then ${edges[i]} at ${i}`);
    }
  }
  for (let i = 0; i < counts.length; i++) {
    assertNumber(counts[i], `${where}.counts[${i}] ("${s.label}")`);
    if (counts[i] < 0) throw new Error(`${where}.counts[${i}] ("${s.label}"): expected a non-negative count, found ${counts[i]}`);
  }
}
