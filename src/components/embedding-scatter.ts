// A 2-D embedding (UMAP, t-SNE, PCA) of examples as dots coloured by class.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertNonEmptyArray,
  assertUniqueLabels,
  formatNumber,
  resolveWidth,
  setTestId,
  spreadIfSingle,
  type ChartElement,
} from "./chart-helpers.js";

export interface EmbeddingInput {
  /** n × 2 coordinates, row-major: [x0, y0, x1, y1, …]. NaN points are left out. */
  points: ArrayLike<number>;
  /** n class indices into classNames. */
  labels: ArrayLike<number>;
  classNames: readonly string[];
  title?: string;
  /** Axis labels; default "dimension 1" / "dimension 2". */
  xLabel?: string;
  yLabel?: string;
}

export interface EmbeddingOptions {
  width?: number;
  /** Default: about the width (square plot area), at most 640. */
  height?: number;
  /** Dot radius in pixels; default by number of points. */
  radius?: number;
}

interface Dot {
  index: number;
  x: number;
  y: number;
  className: string;
}

export function embeddingScatter(input: EmbeddingInput, options: EmbeddingOptions = {}): ChartElement {
  const width = resolveWidth(options.width, "embeddingScatter");
  const { points, labels, classNames, title } = input ?? ({} as EmbeddingInput);
  assertNonEmptyArray(classNames, "embeddingScatter classNames");
  assertUniqueLabels(classNames, "embeddingScatter classNames");
  if (points == null || labels == null) throw new Error("embeddingScatter: expected points and labels arrays, found none");
  if (points.length !== 2 * labels.length) {
    throw new Error(`embeddingScatter points: expected 2 × labels.length = ${2 * labels.length} coordinates (n × 2, row-major), found ${points.length}`);
  }
  const dots: Dot[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classNames.length) {
      throw new Error(`embeddingScatter labels[${i}]: expected a class index in [0, ${classNames.length - 1}], found ${label}`);
    }
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`embeddingScatter points[${i}]: expected finite coordinates or NaN, found (${x}, ${y})`);
    dots.push({ index: i, x, y, className: classNames[label] });
  }
  const radius = options.radius ?? (dots.length > 5000 ? 1.3 : dots.length > 1000 ? 2 : 3);
  if (!(radius > 0)) throw new Error(`embeddingScatter radius: expected a positive number of pixels, found ${radius}`);
  // Square-ish plot area: the height is about the width minus the side margins.
  const height = options.height ?? Math.min(640, Math.max(200, Math.round(width - 40)));

  const chart = Plot.plot({
    width,
    height,
    marginLeft: 45,
    title,
    x: { label: input.xLabel ?? "dimension 1", ticks: 5, ...spreadIfSingle(dots.map((d) => d.x)) },
    y: { label: input.yLabel ?? "dimension 2", ticks: 5, ...spreadIfSingle(dots.map((d) => d.y)) },
    color: { type: "categorical", domain: [...classNames], scheme: CATEGORICAL_SCHEME, legend: true },
    marks: [
      Plot.dot(dots, {
        x: "x",
        y: "y",
        r: radius,
        fill: "className",
        fillOpacity: dots.length > 2000 ? 0.6 : 0.8,
        title: (d: Dot) => `example #${d.index}\nclass ${d.className}\n(${formatNumber(d.x, 2)}, ${formatNumber(d.y, 2)})`,
        tip: true,
      }),
    ],
  });
  return setTestId(chart, "embedding-scatter");
}
