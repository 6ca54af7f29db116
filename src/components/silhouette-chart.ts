// How well classes separate (silhouette score) in the subspace of k units, by how the units
// were chosen; one facet per space (the full k-dim subspace, its UMAP). Kinds with several
// rows per k (random subsets) show their mean line, a min–max band and the single draws.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertNonEmptyArray,
  assertNumber,
  distinctInOrder,
  formatNumber,
  resolveWidth,
  setTestId,
  spreadIfSingle,
  type ChartElement,
} from "./chart-helpers.js";

export interface SilhouetteRow {
  /** Number of units in the subset. */
  k: number;
  /** How the units were chosen, e.g. "top-k selective" or "random k". */
  kind: string;
  /** Silhouette score in [−1, 1]. */
  silhouette: number;
  /** Where it was measured, e.g. "full subspace" or "UMAP". */
  space: string;
}

interface Summary {
  k: number;
  kind: string;
  space: string;
  mean: number;
  min: number;
  max: number;
  n: number;
}

export function silhouetteChart(rows: readonly SilhouetteRow[], options: { width?: number; height?: number } = {}): ChartElement {
  const width = resolveWidth(options.width, "silhouetteChart");
  assertNonEmptyArray(rows, "silhouetteChart rows");
  rows.forEach((row, i) => {
    const where = `silhouetteChart rows[${i}]`;
    for (const key of ["kind", "space"] as const) {
      if (typeof row?.[key] !== "string") throw new Error(`${where}.${key}: expected a string, found ${row == null ? row : typeof row[key]}`);
    }
    if (!Number.isInteger(row.k) || row.k < 1) throw new Error(`${where}.k: expected a positive integer number of units, found ${row.k}`);
    assertNumber(row.silhouette, `${where}.silhouette`);
    if (row.silhouette < -1 || row.silhouette > 1) throw new Error(`${where}.silhouette: expected a score in [−1, 1], found ${row.silhouette}`);
  });

  const groups = new Map<string, Summary>();
  for (const { k, kind, space, silhouette } of rows) {
    const key = JSON.stringify([space, kind, k]);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { k, kind, space, mean: silhouette, min: silhouette, max: silhouette, n: 1 });
    else {
      g.mean += silhouette;
      g.min = Math.min(g.min, silhouette);
      g.max = Math.max(g.max, silhouette);
      g.n++;
    }
  }
  const summaries = [...groups.values()].sort((a, b) => a.k - b.k);
  for (const g of summaries) g.mean /= g.n;
  const repeatedKinds = new Set(summaries.filter((g) => g.n > 1).map((g) => g.kind));
  const draws = rows.filter((r) => repeatedKinds.has(r.kind));

  const kinds = distinctInOrder(rows.map((r) => r.kind));
  const spaces = distinctInOrder(rows.map((r) => r.space));
  const ks = distinctInOrder(summaries.map((g) => g.k));
  const logK = ks[ks.length - 1] / ks[0] >= 16;
  const tip = (g: Summary) =>
    `${g.kind}, ${g.space}\nk = ${g.k}\nsilhouette ${g.n > 1 ? "mean " : ""}${formatNumber(g.mean)}` +
    (g.n > 1 ? `\nmin ${formatNumber(g.min)}, max ${formatNumber(g.max)} (${g.n} draws)` : "");

  const chart = Plot.plot({
    width,
    height: options.height ?? 280,
    marginLeft: 50,
    marginRight: 20,
    fx: { domain: spaces, label: null, padding: 0.12 },
    x: { label: "k (units in the subset)", type: logK ? "log" : "linear", ...spreadIfSingle(ks), ...(ks.length <= 12 ? { ticks: ks } : {}), tickFormat: "d" },
    y: { label: "silhouette score (−1 to 1)", grid: true, ...spreadIfSingle(rows.map((r) => r.silhouette)) },
    color: { domain: kinds, scheme: CATEGORICAL_SCHEME, legend: true },
    marks: [
      Plot.frame({ stroke: "currentColor", strokeOpacity: 0.15 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.areaY(
        summaries.filter((g) => repeatedKinds.has(g.kind)),
        { fx: "space", x: "k", y1: "min", y2: "max", z: "kind", fill: "kind", fillOpacity: 0.15 },
      ),
      Plot.dot(draws, { fx: "space", x: "k", y: "silhouette", fill: "kind", r: 1.8, fillOpacity: 0.5 }),
      Plot.line(summaries, { fx: "space", x: "k", y: "mean", z: "kind", stroke: "kind", strokeWidth: 2, marker: "circle-stroke" }),
      Plot.tip(summaries, Plot.pointerX({ fx: "space", x: "k", y: "mean", stroke: "kind", title: tip })),
    ],
  });
  return setTestId(chart, "silhouette-chart");
}
