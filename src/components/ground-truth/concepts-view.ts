// The measured concepts of the test images: their mean per class, their spread by class for one
// concept, and the images at both ends of it, so a reader can check the measurements by eye.
import * as Plot from "@observablehq/plot";
import { digitGrid } from "../digit-grid.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId } from "../chart-helpers.js";

export interface ConceptTable {
  labels: Uint8Array;
  columns: Readonly<Record<string, Float64Array>>;
  count: number;
}

const meanOf = (values: Float64Array, rows: readonly number[]) => {
  let sum = 0;
  let n = 0;
  for (const r of rows) if (Number.isFinite(values[r])) ((sum += values[r]), n++);
  return n > 0 ? sum / n : NaN;
};

/** One row per class: its image count and each concept's mean over its images. */
export function conceptMeanRows(table: ConceptTable, names: readonly string[], classNames: readonly string[]): Record<string, unknown>[] {
  const byClass = classNames.map(() => [] as number[]);
  for (let r = 0; r < table.count; r++) byClass[table.labels[r]]?.push(r);
  return byClass.map((rows, c) => ({
    Class: classNames[c],
    Images: rows.length,
    ...Object.fromEntries(
      names.map((name) => [
        name,
        name === "slant" ? `${((meanOf(table.columns[name], rows) * 180) / Math.PI).toFixed(1)}°` : meanOf(table.columns[name], rows).toFixed(2),
      ]),
    ),
  }));
}

/** A box per class of one concept's values. */
export function conceptByClassChart(
  table: ConceptTable,
  name: string,
  classNames: readonly string[],
  options: { width?: number } = {},
): SVGSVGElement | HTMLElement {
  const values = table.columns[name];
  if (!values) throw new Error(`conceptByClassChart: no concept "${name}"`);
  const scale = name === "slant" ? 180 / Math.PI : 1;
  const data = Array.from({ length: table.count }, (_, r) => ({ value: values[r] * scale, class: classNames[table.labels[r]] })).filter((d) =>
    Number.isFinite(d.value),
  );
  const plot = Plot.plot({
    width: resolveWidth(options.width, "conceptByClassChart"),
    height: 40 + 22 * classNames.length,
    x: { label: name === "slant" ? "slant (degrees) →" : `${name} →`, grid: true },
    y: { label: null, domain: classNames },
    color: { scheme: CATEGORICAL_SCHEME },
    marks: [Plot.boxX(data, { x: "value", y: "class", fill: "class", fillOpacity: 0.4 })],
  });
  return setTestId(plot as SVGSVGElement, "concept-by-class");
}

/** The `count` images with the lowest and the highest value of a concept, each captioned with it. */
export function conceptExtremes(images: Uint8Array, table: ConceptTable, name: string, count = 8): { lowest: HTMLElement; highest: HTMLElement } {
  const values = table.columns[name];
  if (!values) throw new Error(`conceptExtremes: no concept "${name}"`);
  const order = Array.from({ length: table.count }, (_, r) => r)
    .filter((r) => Number.isFinite(values[r]))
    .sort((a, b) => values[a] - values[b] || a - b);
  const format = (v: number) => (name === "slant" ? `${((v * 180) / Math.PI).toFixed(0)}°` : Number.isInteger(v) ? String(v) : v.toFixed(1));
  const grid = (indices: number[]) => digitGrid(images, table.labels, indices, { caption: (i) => `#${i}: ${format(values[i])}` });
  return { lowest: grid(order.slice(0, count)), highest: grid(order.slice(-count).reverse()) };
}
