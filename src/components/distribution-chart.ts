// Distributions side by side: one row of dots per group (each dot one unit, feature or component)
// with the group's median marked, e.g. monosemanticity scores of neurons against SAE features.
import * as Plot from "@observablehq/plot";
import { CATEGORICAL_SCHEME, labelWidth, resolveWidth, setTestId } from "./chart-helpers.js";

export interface DistributionGroup {
  label: string;
  values: ArrayLike<number>;
}

export function distributionChart(
  groups: readonly DistributionGroup[],
  options: { width?: number; xLabel: string; domain?: [number, number]; testId?: string },
): Element {
  const width = resolveWidth(options.width, "distributionChart");
  if (groups.length === 0) throw new Error("distributionChart: expected at least one group, found none");
  const data = groups.flatMap((g) => Array.from(g.values, (value, index) => ({ group: g.label, index, value })).filter((d) => Number.isFinite(d.value)));
  const margin = Math.min(Math.max(...groups.map((g) => labelWidth(g.label))) + 12, Math.round(width * 0.4));
  const chart = Plot.plot({
    width,
    height: 50 + 28 * groups.length,
    marginLeft: margin,
    x: { label: options.xLabel, domain: options.domain, grid: true },
    y: { label: null, domain: groups.map((g) => g.label) },
    color: { scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.dot(data, {
        x: "value",
        y: "group",
        r: 2.5,
        fill: "group",
        fillOpacity: 0.45,
        title: (d: { group: string; index: number; value: number }) => `${d.group} #${d.index}: ${d.value.toFixed(3)}`,
      }),
      Plot.tickX(data, Plot.groupY({ x: "median" }, { x: "value", y: "group", stroke: "black", strokeWidth: 2 })),
    ],
  }) as Element;
  return setTestId(chart, options.testId ?? "distribution-chart");
}
