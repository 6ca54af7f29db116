// Report section: a digit the reader draws, prepared as MNIST digits were, with the network's
// prediction and every hidden layer's activations.
import { preprocessDrawing } from "../../lib/analysis/digit-preprocess.js";
import { networkActivations, type ActivationCache } from "../../lib/network/forward.js";
import { LOGITS } from "../../lib/network/network.js";
import { channelUnits } from "../../lib/analysis/units/channels.js";
import type { DrawingValue } from "../drawing-pad.js";
import { digitCanvas } from "../digit-canvas.js";
import { activationBars } from "../activation-bars.js";
import { layerChoices, pct, type ReportContext } from "./context.js";

export interface DrawnDigit {
  input: Float32Array;
  activations: ActivationCache;
}

export async function classifyDrawing(ctx: ReportContext, drawing: DrawingValue | null): Promise<DrawnDigit | null> {
  const input = drawing ? preprocessDrawing(drawing.gray, drawing.width, drawing.height) : null;
  if (!input) return null;
  return { input, activations: await networkActivations(ctx.tf, ctx.model.network, input, 1, { scaleInputs: 1 }) };
}

export function drawingSection(ctx: ReportContext, drawn: DrawnDigit | null, { width }: { width: number }): Element {
  if (!drawn) {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.dataset.testid = "draw-hint";
    hint.innerHTML = "<em>Draw a digit in the box above to see what the network makes of it.</em>";
    return hint;
  }
  const logits = drawn.activations[LOGITS].data;
  const max = Math.max(...logits);
  const exp = Array.from(logits, (v) => Math.exp(v - max));
  const total = exp.reduce((a, b) => a + b, 0);
  const predicted = exp.indexOf(Math.max(...exp));
  const box = document.createElement("div");
  const top = document.createElement("div");
  top.style.cssText = "display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap";
  const figure = document.createElement("figure");
  figure.style.margin = "0";
  const caption = document.createElement("figcaption");
  caption.textContent = "what the network sees";
  figure.append(digitCanvas(drawn.input, { rows: 28, cols: 28, scale: 3, max: 1 }), caption);
  const prediction = document.createElement("p");
  prediction.style.fontSize = "1.4rem";
  prediction.dataset.testid = "draw-prediction";
  prediction.innerHTML = `prediction: <strong></strong> (${pct(exp[predicted] / total, 1)})`;
  prediction.querySelector("strong")!.textContent = ctx.classNames[predicted];
  top.append(figure, prediction);
  box.append(
    top,
    activationBars(
      [
        ...layerChoices(ctx, "relu").map((name) => ({ name, values: channelUnits(drawn.activations[name]).data, xLabel: "unit", yLabel: "activation" })),
        { name: LOGITS, values: logits, labels: ctx.classNames, highlightMax: true, xLabel: "class", yLabel: "logit" },
      ],
      { width },
    ),
  );
  return box;
}
