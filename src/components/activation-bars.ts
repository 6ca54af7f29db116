// One input's activations, one small bar chart per layer (unit on x, activation on y). A layer
// with labels (the logits, labelled by class) has its largest bar highlighted: the prediction.
import * as Plot from "@observablehq/plot";
import { assertLength, assertNonEmptyArray, assertUniqueLabels, formatNumber, labelWidth, resolveWidth, setTestId, thinTicks } from "./chart-helpers.js";

export interface ActivationLayer {
  name: string;
  values: ArrayLike<number>;
  /** One label per unit (class names for the logits); default the unit index. */
  labels?: readonly string[];
  /** Highlight the largest value; default true when labels are given. */
  highlightMax?: boolean;
  /** Axis labels; default "unit" (none when labels are given) and "activation". */
  xLabel?: string;
  yLabel?: string;
}

interface Bar {
  label: string;
  value: number;
  isMax: boolean;
}

const BAR_FILL = "#6b8fd6";
const MAX_FILL = "#ff8c00";

export function activationBars(layers: readonly ActivationLayer[], options: { width?: number; height?: number } = {}): HTMLElement {
  const width = resolveWidth(options.width, "activationBars");
  assertNonEmptyArray(layers, "activationBars layers");
  // Check every layer before drawing any.
  const prepared = layers.map((layer, l) => prepareLayer(layer, `activationBars layers[${l}]`));

  const root = document.createElement("div");
  root.style.display = "flex";
  root.style.flexDirection = "column";
  root.style.gap = "6px";
  for (const { layer, labels, bars, argmax, highlight } of prepared) {
    const plotWidth = width - 60;
    const longest = Math.max(...labels.map(labelWidth));
    const valueName = layer.yLabel ?? "activation";
    const tip = (d: Bar) =>
      `${layer.name}, ${layer.labels ? `${layer.xLabel ? `${layer.xLabel} ` : ""}${d.label}` : `unit ${d.label}`}\n${valueName} ${formatNumber(d.value)}${d.isMax ? "\n(largest)" : ""}`;

    const chart = Plot.plot({
      width,
      height: options.height ?? 150,
      marginLeft: 50,
      marginTop: 22,
      subtitle: highlight ? `${layer.name}: largest is ${labels[argmax]}` : layer.name,
      x: {
        type: "band",
        domain: labels,
        label: layer.xLabel ?? (layer.labels ? null : "unit"),
        padding: labels.length > 100 ? 0 : 0.15,
        ticks: thinTicks(labels, plotWidth / (longest + 8)),
        tickSize: 0,
      },
      y: { label: valueName, grid: true, ticks: 4 },
      marks: [
        Plot.barY(
          bars.filter((d) => !d.isMax),
          { x: "label", y: "value", fill: BAR_FILL, title: tip, tip: true },
        ),
        Plot.barY(
          bars.filter((d) => d.isMax),
          { x: "label", y: "value", fill: MAX_FILL, title: tip, tip: true },
        ),
        Plot.ruleY([0]),
      ],
    });
    chart.style.margin = "0";
    root.append(chart);
  }
  return setTestId(root, "activation-bars");
}

function prepareLayer(layer: ActivationLayer, where: string) {
  if (typeof layer?.name !== "string") throw new Error(`${where}.name: expected a layer name, found ${layer == null ? layer : typeof layer.name}`);
  const { values } = layer;
  if (values == null || typeof values.length !== "number" || values.length === 0) {
    throw new Error(`${where}.values ("${layer.name}"): expected at least one activation, found ${values == null ? values : values.length}`);
  }
  const labels = layer.labels ? [...layer.labels] : Array.from({ length: values.length }, (_, i) => String(i));
  if (layer.labels) {
    assertLength(labels, values.length, `${where}.labels ("${layer.name}", one per unit)`);
    assertUniqueLabels(labels, `${where}.labels ("${layer.name}")`);
  }
  let argmax = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}.values[${i}] ("${layer.name}"): expected a finite number, found ${String(v)}`);
    if (argmax < 0 || v > values[argmax]) argmax = i;
  }
  const highlight = layer.highlightMax ?? layer.labels !== undefined;
  const bars: Bar[] = labels.map((label, i) => ({ label, value: values[i], isMax: highlight && i === argmax }));
  return { layer, labels, bars, argmax, highlight };
}
