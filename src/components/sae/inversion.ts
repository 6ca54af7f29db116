// The feature-inversion section: the reader's regularization settings, the run (announced, since it
// takes seconds) and the resulting image.
import type { TF } from "../../lib/tf-types.js";
import type { Network } from "../../lib/network/network.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { rangeControl, textControl, type Control } from "../controls.js";
import { digitCanvas } from "../digit-canvas.js";
import { announce, pendingView, type Pending } from "../report/pending.js";
import { featureInversion, type ChosenSae, type FeatureInversion } from "./dashboard.js";

export interface InversionControls {
  l2: Control<number | string>;
  tv: Control<number | string>;
  jitter: Control<number | string>;
  steps: Control<string | number>;
}

export function inversionControls(): InversionControls {
  return {
    l2: rangeControl({ label: "L2 weight", min: 0, max: 0.1, step: 0.001, value: 0.001, key: "inv-l2" }),
    tv: rangeControl({ label: "TV weight", min: 0, max: 0.2, step: 0.005, value: 0.01, key: "inv-tv" }),
    jitter: rangeControl({ label: "Jitter (pixels)", min: 0, max: 3, step: 1, value: 1, key: "inv-jitter" }),
    steps: textControl({ label: "Inversion steps", value: "200", numeric: true, key: "inv-steps" }),
  };
}

export async function* runInversion(
  tf: TF,
  network: Network,
  layer: string,
  units: number,
  sae: ChosenSae,
  feature: number,
  values: { l2: unknown; tv: unknown; jitter: unknown; steps: unknown },
  pause: () => Promise<void>,
): AsyncGenerator<Pending<FeatureInversion>> {
  const checks = [
    checkNumberInput(values.l2, { label: "L2 weight", min: 0, max: 10 }),
    checkNumberInput(values.tv, { label: "TV weight", min: 0, max: 10 }),
    checkNumberInput(values.jitter, { label: "Jitter (pixels)", min: 0, max: 5, integer: true }),
    checkNumberInput(values.steps, { label: "Inversion steps", min: 1, max: 5000, integer: true }),
  ];
  const problem = checks.find((c) => c.error !== null);
  if (problem?.error) return yield { state: "error", error: problem.error };
  const [l2, tv, jitter, steps] = checks.map((c) => c.value as number);
  yield* announce(
    `Optimizing an image for feature ${feature}: ${steps} steps…`,
    featureInversion(tf, network, layer, units, sae, feature, { l2, tv, jitter, steps }, { betweenSteps: pause }),
  );
}

export function inversionView(step: Pending<FeatureInversion>, feature: number, side: number): Element {
  const waiting = pendingView(step);
  if (waiting) return waiting;
  const result = (step as { value: FeatureInversion }).value;
  const figure = document.createElement("figure");
  figure.dataset.testid = "feature-inversion";
  figure.style.margin = "0";
  const caption = document.createElement("figcaption");
  caption.textContent = `The image that maximizes feature ${feature}'s pre-activation: ${result.objective.toFixed(3)} (from ${result.history[0].objective.toFixed(3)} at the start); the feature's code on it: ${result.code.toFixed(3)}`;
  figure.append(digitCanvas(result.image, { rows: side, cols: side, scale: 6, max: 1 }), caption);
  return figure;
}
