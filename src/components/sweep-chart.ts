// Accuracy per class (thin lines) and overall (thick line) as one unit's activation is scaled,
// with a rule at the scale currently chosen on the page.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertFraction,
  assertLength,
  assertNonEmptyArray,
  assertNumber,
  assertUniqueLabels,
  formatNumber,
  resolveWidth,
  setTestId,
  spreadIfSingle,
  type ChartElement,
} from "./chart-helpers.js";

export interface SweepInput {
  /** Scale factors applied to the unit, e.g. 0, 0.25, …, 3. */
  scales: readonly number[];
  /** [scaleIndex][class] accuracy as a fraction in [0, 1]; NaN = no examples of the class. */
  perClassAccuracy: readonly ArrayLike<number>[];
  /** Overall accuracy per scale, as a fraction in [0, 1]. */
  overall: ArrayLike<number>;
  classNames: readonly string[];
  /** The scale chosen on the page, marked by a vertical rule. */
  current?: number;
}

export interface SweepOptions {
  width?: number;
  height?: number;
  /** x axis label; default "scale factor on the unit's activation (×)". */
  xLabel?: string;
}

const OVERALL = "overall";

interface Point {
  scale: number;
  series: string;
  accuracy: number;
}

export function sweepChart(input: SweepInput, options: SweepOptions = {}): ChartElement {
  const width = resolveWidth(options.width, "sweepChart");
  const { scales, perClassAccuracy, overall, classNames, current } = input ?? ({} as SweepInput);
  assertNonEmptyArray(classNames, "sweepChart classNames");
  assertUniqueLabels(classNames, "sweepChart classNames");
  if (classNames.includes(OVERALL)) throw new Error(`sweepChart classNames: "${OVERALL}" is reserved for the overall line`);
  assertNonEmptyArray(scales, "sweepChart scales");
  scales.forEach((s, i) => assertNumber(s, `sweepChart scales[${i}]`));
  assertLength(perClassAccuracy, scales.length, "sweepChart perClassAccuracy (one row per scale)");
  assertLength(overall, scales.length, "sweepChart overall (one per scale)");
  if (current !== undefined) assertNumber(current, "sweepChart current");

  const classPoints: Point[] = [];
  const overallPoints: Point[] = [];
  scales.forEach((scale, s) => {
    const row = perClassAccuracy[s];
    assertLength(row, classNames.length, `sweepChart perClassAccuracy[${s}] (one per class)`);
    classNames.forEach((series, c) => {
      assertFraction(row[c], `sweepChart perClassAccuracy[${s}][${c}]`, { allowNaN: true });
      classPoints.push({ scale, series, accuracy: 100 * row[c] });
    });
    assertFraction(overall[s], `sweepChart overall[${s}]`, { allowNaN: true });
    overallPoints.push({ scale, series: OVERALL, accuracy: 100 * overall[s] });
  });
  // Lines join points in data order.
  const byScale = (a: Point, b: Point) => a.scale - b.scale;
  classPoints.sort(byScale);
  overallPoints.sort(byScale);

  const classColours = Plot.scale({ color: { type: "categorical", scheme: CATEGORICAL_SCHEME } }).range as string[];
  const color = {
    domain: [...classNames, OVERALL],
    range: [...classNames.map((_, i) => classColours[i % classColours.length]), "currentColor"],
    legend: true,
  };
  const marker = scales.length <= 15 ? "circle-stroke" : "none";
  const tip = (d: Point) =>
    `${d.series === OVERALL ? "overall" : `class ${d.series}`}\nscale ×${formatNumber(d.scale, 2)}\naccuracy ${formatNumber(d.accuracy, 1)}%`;

  const marks: Plot.Markish[] = [
    Plot.ruleY([0]),
    Plot.line(classPoints, { x: "scale", y: "accuracy", z: "series", stroke: "series", strokeWidth: 1.3, strokeOpacity: 0.85, marker }),
    Plot.line(overallPoints, { x: "scale", y: "accuracy", z: null, stroke: "series", strokeWidth: 3.5, marker }),
    Plot.tip([...classPoints, ...overallPoints], Plot.pointerX({ x: "scale", y: "accuracy", stroke: "series", title: tip })),
  ];
  if (current !== undefined) {
    marks.push(
      Plot.ruleX([current], { stroke: "#ff8c00", strokeWidth: 2, strokeDasharray: "5,3" }),
      Plot.text([current], {
        x: (c: number) => c,
        frameAnchor: "top",
        dy: -8,
        text: (c: number) => `current ×${formatNumber(c, 2)}`,
        fill: "#c06000",
        fontSize: 11,
      }),
    );
  }

  const chart = Plot.plot({
    width,
    height: options.height ?? 300,
    marginLeft: 50,
    marginTop: 24,
    x: { label: options.xLabel ?? "scale factor on the unit's activation (×)", ...spreadIfSingle([...scales, ...(current === undefined ? [] : [current])]) },
    y: { label: "accuracy (%)", domain: [0, 100], grid: true },
    color,
    marks,
  });
  return setTestId(chart, "sweep-chart");
}
