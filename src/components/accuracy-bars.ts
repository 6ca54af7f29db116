// Per-class accuracy of a baseline and a modified model (e.g. with a unit ablated) as grouped
// bars, the change in percentage points written over each modified bar.
import * as Plot from "@observablehq/plot";
import {
  assertFraction,
  assertLength,
  assertNonEmptyArray,
  assertUniqueLabels,
  formatNumber,
  formatSigned,
  resolveWidth,
  setTestId,
  type ChartElement,
} from "./chart-helpers.js";

export interface PerClassAccuracyInput {
  classNames: readonly string[];
  /** Accuracy per class as a fraction in [0, 1]; NaN = no examples of that class. */
  baseline: ArrayLike<number>;
  modified: ArrayLike<number>;
}

export interface PerClassAccuracyOptions {
  width?: number;
  height?: number;
  /** Legend names of the two series. */
  baselineLabel?: string;
  modifiedLabel?: string;
}

interface Bar {
  className: string;
  series: string;
  value: number;
  change: number;
}

export function perClassAccuracyChart(input: PerClassAccuracyInput, options: PerClassAccuracyOptions = {}): ChartElement {
  const width = resolveWidth(options.width, "perClassAccuracyChart");
  const { baselineLabel = "baseline", modifiedLabel = "modified" } = options;
  if (baselineLabel === modifiedLabel) throw new Error(`perClassAccuracyChart: expected different series labels, found "${baselineLabel}" twice`);
  const { classNames, baseline, modified } = input ?? ({} as PerClassAccuracyInput);
  assertNonEmptyArray(classNames, "perClassAccuracyChart classNames");
  assertUniqueLabels(classNames, "perClassAccuracyChart classNames");
  assertLength(baseline, classNames.length, "perClassAccuracyChart baseline (one per class)");
  assertLength(modified, classNames.length, "perClassAccuracyChart modified (one per class)");

  const bars: Bar[] = [];
  const missing: Bar[] = [];
  classNames.forEach((className, c) => {
    assertFraction(baseline[c], `perClassAccuracyChart baseline[${c}]`, { allowNaN: true });
    assertFraction(modified[c], `perClassAccuracyChart modified[${c}]`, { allowNaN: true });
    const change = 100 * (modified[c] - baseline[c]);
    for (const [series, value] of [
      [baselineLabel, baseline[c]],
      [modifiedLabel, modified[c]],
    ] as const) {
      (Number.isNaN(value) ? missing : bars).push({ className, series, value: 100 * value, change });
    }
  });
  const changed = bars.filter((b) => b.series === modifiedLabel && !Number.isNaN(b.change));
  const tip = (d: Bar) =>
    `class ${d.className}\n${d.series}: ${formatNumber(d.value, 1)}%` +
    (d.series === modifiedLabel && !Number.isNaN(d.change) ? `\nchange: ${formatSigned(d.change)} points` : "");

  // Keep "−12.3" within its bar's width on narrow charts.
  const facetWidth = (width - 60) / classNames.length;
  const labelSize = facetWidth < 45 ? 8 : 10;

  const chart = Plot.plot({
    width,
    height: options.height ?? 260,
    marginLeft: 50,
    marginTop: 28,
    fx: { label: "class", domain: [...classNames], padding: 0.15 },
    x: { axis: null, domain: [baselineLabel, modifiedLabel], padding: 0.05 },
    y: { label: "accuracy (%)", domain: [0, 100], grid: true },
    color: { domain: [baselineLabel, modifiedLabel], range: ["#b8b8b8", "#4269d0"], legend: true },
    marks: [
      Plot.barY(bars, { fx: "className", x: "series", y: "value", fill: "series", title: tip, tip: true }),
      // Two marks, not a fill channel, so that these colours bypass the colour scale.
      ...[changed.filter((d) => d.change < 0), changed.filter((d) => !(d.change < 0))].map((subset, i) =>
        Plot.text(subset, {
          fx: "className",
          x: "series",
          y: "value",
          text: (d: Bar) => formatSigned(d.change),
          dy: -7,
          fontSize: labelSize,
          fill: i === 0 ? "#b2182b" : "currentColor",
        }),
      ),
      Plot.text(missing, { fx: "className", x: "series", y: 0, text: () => "n/a", dy: -7, fontSize: 9, fill: "currentColor", fillOpacity: 0.6 }),
      Plot.ruleY([0]),
    ],
  });
  return setTestId(chart, "accuracy-bars");
}
