// Images per class in the training and test sets, as horizontal bars so that class names of any
// length (Fashion-MNIST's "T-shirt/top", say) stay readable instead of overlapping on an axis.
import * as Plot from "@observablehq/plot";
import type { DatasetManifest } from "../lib/dataset-files.js";
import { labelWidth, resolveWidth, setTestId } from "./chart-helpers.js";

export function classCountsChart(manifest: DatasetManifest, options: { width?: number } = {}): Element {
  const rows = manifest.classNames.flatMap((name, i) => [
    { class: name, split: "train", count: manifest.train.classCounts[i] },
    { class: name, split: "test", count: manifest.test.classCounts[i] },
  ]);
  const longest = Math.max(...manifest.classNames.map(labelWidth));
  const chart = Plot.plot({
    width: resolveWidth(options.width, "classCountsChart"),
    height: 40 + 18 * manifest.classNames.length,
    marginLeft: Math.min(longest + 12, 220),
    y: { label: null, domain: manifest.classNames },
    x: { label: "images", grid: true },
    fx: { label: null },
    color: { legend: true, domain: ["train", "test"] },
    marks: [Plot.barX(rows, { fx: "split", y: "class", x: "count", fill: "split", tip: true }), Plot.ruleX([0])],
  }) as Element;
  return setTestId(chart, "class-counts");
}
