// Bar chart of images per class in the training and test sets.
import * as Plot from "@observablehq/plot";
import type { DatasetManifest } from "../lib/dataset-files.js";

export function classCountsChart(manifest: DatasetManifest, options: { width?: number } = {}): Element {
  const rows = manifest.classNames.flatMap((name, i) => [
    { class: name, split: "train", count: manifest.train.classCounts[i] },
    { class: name, split: "test", count: manifest.test.classCounts[i] },
  ]);
  return Plot.plot({
    width: options.width,
    height: 220,
    marginLeft: 50,
    x: { label: "class", domain: manifest.classNames },
    y: { label: "images", grid: true },
    fx: { label: null },
    color: { legend: true, domain: ["train", "test"] },
    marks: [
      Plot.barY(rows, { fx: "split", x: "class", y: "count", fill: "split", tip: true }),
      Plot.ruleY([0]),
    ],
  }) as Element;
}
