// Loss and accuracy per epoch on the training and test sets, as two line charts.
import * as Plot from "@observablehq/plot";
import {
  CATEGORICAL_SCHEME,
  assertFraction,
  assertNonEmptyArray,
  assertNumber,
  chartRow,
  formatNumber,
  integerTicks,
  spreadIfSingle,
  resolveWidth,
  setTestId,
} from "./chart-helpers.js";

export interface TrainingHistoryEntry {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
}

const SPLITS = ["train", "test"];
/** Below this width the two charts are stacked. */
const SIDE_BY_SIDE_MIN_WIDTH = 560;
const GAP = 24;

export function trainingCurves(history: readonly TrainingHistoryEntry[], options: { width?: number } = {}): HTMLElement {
  const width = resolveWidth(options.width, "trainingCurves");
  assertNonEmptyArray(history, "trainingCurves history");
  history.forEach((entry, i) => {
    const where = `trainingCurves history[${i}]`;
    assertNumber(entry?.epoch, `${where}.epoch`);
    // NaN marks a metric that was not measured that epoch; the line just breaks there.
    assertNumber(entry.trainLoss, `${where}.trainLoss`, { allowNaN: true });
    assertNumber(entry.testLoss, `${where}.testLoss`, { allowNaN: true });
    assertFraction(entry.trainAccuracy, `${where}.trainAccuracy`, { allowNaN: true });
    assertFraction(entry.testAccuracy, `${where}.testAccuracy`, { allowNaN: true });
  });
  const sorted = [...history].sort((a, b) => a.epoch - b.epoch);
  const loss = sorted.flatMap((e) => [
    { epoch: e.epoch, split: "train", value: e.trainLoss },
    { epoch: e.epoch, split: "test", value: e.testLoss },
  ]);
  const accuracy = sorted.flatMap((e) => [
    { epoch: e.epoch, split: "train", value: e.trainAccuracy * 100 },
    { epoch: e.epoch, split: "test", value: e.testAccuracy * 100 },
  ]);

  const sideBySide = width >= SIDE_BY_SIDE_MIN_WIDTH;
  const chartWidth = sideBySide ? Math.floor((width - GAP) / 2) : width;
  const marker = sorted.length <= 30 ? "circle-stroke" : "none";
  const color = { domain: SPLITS, scheme: CATEGORICAL_SCHEME } as const;
  const epochs = sorted.map((e) => e.epoch);
  const integerEpochs = epochs.every(Number.isInteger);

  const lineChart = (rows: typeof loss, title: string, yLabel: string, digits: number) =>
    Plot.plot({
      width: chartWidth,
      height: 240,
      marginLeft: 50,
      subtitle: title,
      x: { label: "epoch", ...spreadIfSingle(epochs), ticks: integerTicks(epochs, chartWidth / 45), tickFormat: integerEpochs ? "d" : undefined },
      y: { label: yLabel, grid: true, ...spreadIfSingle(rows.map((r) => r.value)) },
      color,
      marks: [
        Plot.line(rows, { x: "epoch", y: "value", z: "split", stroke: "split", marker, strokeWidth: 2 }),
        Plot.tip(
          rows,
          Plot.pointerX({
            x: "epoch",
            y: "value",
            stroke: "split",
            title: (d: (typeof rows)[number]) => `${d.split}, epoch ${d.epoch}\n${yLabel}: ${formatNumber(d.value, digits)}`,
          }),
        ),
      ],
    });

  const charts = chartRow([lineChart(loss, "Loss", "cross-entropy loss (nats)", 4), lineChart(accuracy, "Accuracy", "accuracy (%)", 2)], GAP);
  // One legend for both charts: they share the colours.
  const root = document.createElement("div");
  root.append(Plot.legend({ color: { ...color, label: "split" } }), charts);
  return setTestId(root, "training-curves");
}
