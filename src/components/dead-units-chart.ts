// Dead and nearly-dead units over training, one small stacked-area chart per layer, each on a
// y axis running from 0 to that layer's number of units.
import * as Plot from "@observablehq/plot";
import { assertNonEmptyArray, assertNumber, chartRow, distinctInOrder, integerTicks, resolveWidth, setTestId, spreadIfSingle } from "./chart-helpers.js";

export interface DeadUnitsRow {
  epoch: number;
  layer: string;
  /** Units never active on the examples. */
  dead: number;
  /** Units active on a few examples only (not counted in `dead`). */
  nearlyDead: number;
  /** All units of the layer. */
  units: number;
}

const STATUSES = ["dead", "nearly dead"];
const STATUS_COLOURS = ["#c62828", "#f4a582"];
const MIN_CHART_WIDTH = 240;
const GAP = 20;

export function deadUnitsChart(rows: readonly DeadUnitsRow[], options: { width?: number; height?: number } = {}): HTMLElement {
  const width = resolveWidth(options.width, "deadUnitsChart");
  assertNonEmptyArray(rows, "deadUnitsChart rows");
  const unitsOfLayer = new Map<string, number>();
  rows.forEach((row, i) => {
    const where = `deadUnitsChart rows[${i}]`;
    if (typeof row?.layer !== "string") throw new Error(`${where}.layer: expected a layer name, found ${row == null ? row : typeof row.layer}`);
    assertNumber(row.epoch, `${where}.epoch`);
    for (const key of ["dead", "nearlyDead", "units"] as const) {
      if (!Number.isInteger(row[key]) || row[key] < 0) throw new Error(`${where}.${key}: expected a non-negative integer count, found ${row[key]}`);
    }
    if (row.units === 0) throw new Error(`${where}.units: expected a layer with at least one unit, found 0`);
    if (row.dead + row.nearlyDead > row.units) {
      throw new Error(`${where}: expected dead + nearlyDead ≤ units, found ${row.dead} + ${row.nearlyDead} > ${row.units} (layer "${row.layer}")`);
    }
    const known = unitsOfLayer.get(row.layer);
    if (known !== undefined && known !== row.units) {
      throw new Error(`${where}.units: layer "${row.layer}" has ${known} units in an earlier row, found ${row.units}`);
    }
    unitsOfLayer.set(row.layer, row.units);
  });

  const layers = distinctInOrder(rows.map((r) => r.layer));
  const columns = Math.max(1, Math.min(layers.length, Math.floor((width + GAP) / (MIN_CHART_WIDTH + GAP))));
  const chartWidth = Math.floor((width - GAP * (columns - 1)) / columns);
  const integerEpochs = rows.every((r) => Number.isInteger(r.epoch));
  const color = { domain: STATUSES, range: STATUS_COLOURS };

  const plots: Element[] = [];
  for (const layer of layers) {
    const units = unitsOfLayer.get(layer)!;
    const data = rows
      .filter((r) => r.layer === layer)
      .sort((a, b) => a.epoch - b.epoch)
      .map((r) => ({ ...r, either: r.dead + r.nearlyDead }));
    const epochs = data.map((r) => r.epoch);
    const marker = data.length <= 30 ? "circle" : "none";
    const tip = (d: (typeof data)[number]) =>
      `${layer}, epoch ${d.epoch}\ndead: ${d.dead} of ${units}\nnearly dead: ${d.nearlyDead} of ${units}\nalive: ${units - d.either} of ${units}`;
    plots.push(
      Plot.plot({
        width: chartWidth,
        height: options.height ?? 200,
        marginLeft: 45,
        marginRight: 55,
        subtitle: `${layer} (${units} units)`,
        x: { label: "epoch", tickFormat: integerEpochs ? "d" : undefined, ...spreadIfSingle(epochs), ticks: integerTicks(epochs, chartWidth / 50) },
        y: { label: "units", domain: [0, units], grid: true, tickFormat: "d" },
        color,
        marks: [
          Plot.areaY(data, { x: "epoch", y1: 0, y2: "dead", fill: color.range[0], fillOpacity: 0.7 }),
          Plot.areaY(data, { x: "epoch", y1: "dead", y2: "either", fill: color.range[1], fillOpacity: 0.7 }),
          Plot.line(data, { x: "epoch", y: "dead", stroke: color.range[0], marker }),
          Plot.line(data, { x: "epoch", y: "either", stroke: color.range[1], marker }),
          Plot.ruleY([units], { stroke: "currentColor", strokeDasharray: "4,3" }),
          Plot.text([units], { y: (u: number) => u, frameAnchor: "right", dx: 4, text: () => `all ${units}`, textAnchor: "start", fontSize: 10 }),
          Plot.ruleY([0]),
          Plot.tip(data, Plot.pointerX({ x: "epoch", y: "either", title: tip })),
        ],
      }),
    );
  }
  const charts = chartRow(plots, GAP);
  const root = document.createElement("div");
  root.append(Plot.legend({ color: { ...color, label: "units" } }), charts);
  return setTestId(root, "dead-units-chart");
}
