// How each layer's activations drift over training: the mean as a line in a ±1 std band.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertNonEmptyArray,
  assertNumber,
  distinctInOrder,
  formatNumber,
  integerTicks,
  resolveWidth,
  spreadIfSingle,
  setTestId,
  type ChartElement,
} from "./chart-helpers.js";

export interface DriftRow {
  epoch: number;
  layer: string;
  mean: number;
  std: number;
}

export function driftChart(rows: readonly DriftRow[], options: { width?: number; height?: number; yLabel?: string } = {}): ChartElement {
  const width = resolveWidth(options.width, "driftChart");
  assertNonEmptyArray(rows, "driftChart rows");
  rows.forEach((row, i) => {
    const where = `driftChart rows[${i}]`;
    if (typeof row?.layer !== "string") throw new Error(`${where}.layer: expected a layer name, found ${row == null ? row : typeof row.layer}`);
    assertNumber(row.epoch, `${where}.epoch`);
    assertNumber(row.mean, `${where}.mean`);
    assertNumber(row.std, `${where}.std`);
    if (row.std < 0) throw new Error(`${where}.std: expected a non-negative standard deviation, found ${row.std}`);
  });
  const layers = distinctInOrder(rows.map((r) => r.layer));
  // Lines join points in data order, so order by epoch within each layer.
  const data = [...rows].sort((a, b) => a.epoch - b.epoch).map((r) => ({ ...r, low: r.mean - r.std, high: r.mean + r.std }));
  const epochs = data.map((r) => r.epoch);
  const integerEpochs = epochs.every(Number.isInteger);
  const marker = data.length / layers.length <= 30 ? "circle-stroke" : "none";

  const chart = Plot.plot({
    width,
    height: options.height ?? 260,
    marginLeft: 55,
    x: { label: "epoch", tickFormat: integerEpochs ? "d" : undefined, ...spreadIfSingle(epochs), ticks: integerTicks(epochs, width / 50) },
    y: { label: options.yLabel ?? "activation (mean ± 1 std)", grid: true, ...spreadIfSingle(data.flatMap((r) => [r.low, r.high])) },
    color: { domain: layers, scheme: CATEGORICAL_SCHEME, legend: true },
    marks: [
      Plot.areaY(data, { x: "epoch", y1: "low", y2: "high", z: "layer", fill: "layer", fillOpacity: 0.15 }),
      Plot.line(data, { x: "epoch", y: "mean", z: "layer", stroke: "layer", strokeWidth: 2, marker }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "epoch",
          y: "mean",
          stroke: "layer",
          title: (d: DriftRow) => `${d.layer}, epoch ${d.epoch}\nmean ${formatNumber(d.mean)}\nstd ${formatNumber(d.std)}`,
        }),
      ),
    ],
  });
  return setTestId(chart, "drift-chart");
}
