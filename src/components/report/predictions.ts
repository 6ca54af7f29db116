// Report section: where the trained network fails: its confusion matrix, accuracy per class and
// the misclassified test images.
import { heatmap } from "../heatmap.js";
import { digitGrid } from "../digit-grid.js";
import { table } from "./table.js";
import { count, pct, type CleanPredictions, type ReportContext } from "./context.js";

export function confusionSection(ctx: ReportContext, clean: CleanPredictions, { width }: { width: number }): Element {
  const { classNames } = ctx;
  const n = classNames.length;
  return heatmap({
    rows: n,
    cols: n,
    data: clean.confusion.data,
    rowLabels: classNames,
    colLabels: classNames,
    xLabel: "predicted",
    yLabel: "true",
    scheme: "sequential",
    title: `Confusion matrix, test accuracy ${pct(clean.accuracy)}`,
    valueLabel: "images",
    cellText: true,
    width: Math.min(width, 560),
  });
}

export function perClassTable(ctx: ReportContext, clean: CleanPredictions): Element {
  const n = ctx.classNames.length;
  return table(
    ctx.classNames.map((name, c) => {
      const images = clean.confusion.data.slice(c * n, (c + 1) * n).reduce((a, b) => a + b, 0);
      return { class: name, images, correct: clean.confusion.data[c * n + c], accuracy: pct(clean.perClass[c]) };
    }),
    { testId: "per-class-accuracy" },
  );
}

/** The first `shown` misclassified test images, captioned true → predicted. */
export function misclassifiedGallery(ctx: ReportContext, clean: CleanPredictions, shown = 48): Element {
  const { testSet, classNames } = ctx;
  const wrong: number[] = [];
  for (let i = 0; i < testSet.count; i++) if (clean.predicted[i] !== testSet.labels[i]) wrong.push(i);
  const box = document.createElement("div");
  const caption = document.createElement("p");
  caption.dataset.testid = "misclassified-count";
  caption.textContent = `${count(wrong.length)} of ${count(testSet.count)} test images are misclassified; the first ${Math.min(shown, wrong.length)} (caption: true → predicted):`;
  box.append(
    caption,
    digitGrid(testSet.images, testSet.labels, wrong.slice(0, shown), {
      rows: testSet.rows,
      cols: testSet.cols,
      scale: 2,
      caption: (i) => `${classNames[testSet.labels[i]]} → ${classNames[clean.predicted[i]]}`,
    }),
  );
  return box;
}
