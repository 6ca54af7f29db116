// The probes page's charts: test accuracy of every input of every layer, accuracy against the
// number of columns a sparse probe keeps, accuracy over training epochs, and a probe's weights.
import * as Plot from "@observablehq/plot";
import type { ProbeFile, ProbeInputResult, ProbeLayerResult } from "../../lib/probes/probe-file.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId, type ChartElement } from "../chart-helpers.js";
import { heatmap } from "../heatmap.js";
import { inputTitle } from "./tables.js";

/** The family of an input, for colour: neurons, PCA, ICA, or the SAE's architecture. */
function family(input: ProbeInputResult): string {
  if (input.sae === null) return inputTitle(input);
  return `SAE ${input.sae.split("/")[1].split("-")[0]}`;
}

/** Test accuracy of every input of every layer (dots), with the pixels as a rule. */
export function accuracyByLayerChart(file: ProbeFile, options: { width?: number } = {}): ChartElement {
  const width = resolveWidth(options.width, "accuracyByLayerChart");
  const points = file.layers.flatMap((layer) =>
    layer.inputs.map((input) => ({
      layer: layer.layer,
      input: inputTitle(input),
      family: family(input),
      basis: input.basis,
      accuracy: 100 * input.logistic.testAccuracy,
    })),
  );
  const untrained = file.layers.map((layer) => ({ layer: layer.layer, accuracy: 100 * layer.randomInit.testAccuracy }));
  const chart = Plot.plot({
    width,
    height: 60 + 50 * file.layers.length,
    marginLeft: 60,
    x: { label: "logistic probe test accuracy (%)", grid: true },
    y: { label: null, domain: file.layers.map((l) => l.layer) },
    color: { legend: true, scheme: CATEGORICAL_SCHEME },
    // "times" is kept for the untrained network.
    symbol: { legend: true, domain: ["neurons", "pca", "ica"], range: ["circle", "square", "diamond"] },
    marks: [
      Plot.ruleX([100 * file.pixels.logistic.testAccuracy], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.text([100 * file.pixels.logistic.testAccuracy], { x: (d) => d, frameAnchor: "top", text: () => "pixels", dy: -2, textAnchor: "start", dx: 3 }),
      Plot.dot(untrained, { x: "accuracy", y: "layer", stroke: "gray", r: 5, symbol: "times" }),
      Plot.dot(points, {
        x: "accuracy",
        y: "layer",
        stroke: "family",
        symbol: "basis",
        r: 4,
        tip: true,
        title: (d) => `${d.input}: ${d.accuracy.toFixed(2)}%`,
      }),
    ],
  });
  return setTestId(chart, "probe-layer-chart");
}

/** Test accuracy against k, the number of columns a sparse probe keeps, one line per input. */
export function sparseProbeChart(layer: ProbeLayerResult, pixels: ProbeInputResult, options: { width?: number } = {}): ChartElement {
  const width = resolveWidth(options.width, "sparseProbeChart");
  const inputs = [...layer.inputs, pixels];
  const points = inputs.flatMap((input) =>
    (input.sparse ?? []).map(({ k, testAccuracy }) => ({ k, input: input === pixels ? "pixels" : inputTitle(input), accuracy: 100 * testAccuracy })),
  );
  const chart = Plot.plot({
    width,
    height: 320,
    x: { type: "log", base: 2, label: "k, the columns kept (largest ANOVA F first)", grid: true },
    y: { label: "test accuracy (%)", domain: [0, 100], grid: true },
    color: { legend: true, scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.ruleY([10], { stroke: "gray", strokeDasharray: "2,3" }),
      Plot.line(points, {
        x: "k",
        y: "accuracy",
        stroke: "input",
        marker: "circle-stroke",
        tip: true,
        title: (d) => `${d.input}, k = ${d.k}: ${d.accuracy.toFixed(2)}%`,
      }),
    ],
  });
  return setTestId(chart, "probe-sparse-chart");
}

/** The neurons' probe accuracy after each epoch (epoch 0 = untrained), one line per layer. */
export function epochProbeChart(file: ProbeFile, options: { width?: number } = {}): ChartElement {
  const width = resolveWidth(options.width, "epochProbeChart");
  const points = file.layers.flatMap((layer) => layer.epochs.map(({ epoch, testAccuracy }) => ({ epoch, layer: layer.layer, accuracy: 100 * testAccuracy })));
  const chart = Plot.plot({
    width,
    height: 300,
    x: { label: "epoch", grid: true },
    y: { label: "test accuracy (%)", grid: true },
    color: { legend: true, scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.ruleY([100 * file.pixels.logistic.testAccuracy], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.line(points, {
        x: "epoch",
        y: "accuracy",
        stroke: "layer",
        marker: "circle-stroke",
        tip: true,
        title: (d) => `${d.layer}, epoch ${d.epoch}: ${d.accuracy.toFixed(2)}%`,
      }),
    ],
  });
  return setTestId(chart, "probe-epoch-chart");
}

/** The logistic probe's weights (on standardized inputs) as a class × column heatmap. */
export function probeWeightsHeatmap(
  input: ProbeInputResult,
  classNames: readonly string[],
  options: { width?: number; weights?: ArrayLike<number> } = {},
): ChartElement {
  const data = options.weights ?? input.weights;
  const cols = data.length / classNames.length;
  const chart = heatmap({
    rows: classNames.length,
    cols,
    data,
    rowLabels: classNames,
    colLabels: Array.from({ length: cols }, (_, i) => String(i)),
    xLabel: input.sae === null ? (input.id === "neurons" ? "unit" : `${input.id.toUpperCase()} component`) : "SAE latent",
    yLabel: "class",
    scheme: "diverging",
    valueLabel: "weight on the standardized input",
    width: options.width,
  });
  return setTestId(chart, "probe-weights");
}
