// A dashboard for one SAE feature, as SAE viewers for language models show one: how often and how
// strongly it fires, the test images where it fires most (and from lower ranges), which classes
// carry its activation, what its decoder direction does to the logits, which pixels drive it,
// the image that maximizes it (feature inversion), and steering: its direction added to the layer
// of every test image, with per-class accuracy against the unmodified network.
import * as Plot from "@observablehq/plot";
import type { TF, Tensor } from "../../lib/tf-types.js";
import type { ActivationMatrix } from "../../lib/analysis/types.js";
import type { ImageSet } from "../../lib/dataset-files.js";
import type { Network } from "../../lib/network/network.js";
import type { SaeWeights } from "../../lib/sae/weights.js";
import type { FittedBasis } from "../../lib/sae/basis.js";
import { uploadBasis } from "../../lib/sae/basis.js";
import { encodeActivations, encodeTensor, preActivations, uploadSae } from "../../lib/sae/encode.js";
import { toBasis } from "../../lib/sae/basis.js";
import { activeAbove } from "../../lib/sae/config.js";
import { histogram } from "../../lib/analysis/units/stats.js";
import { peaksInBand, topPeaks, type UnitPeak } from "../../lib/analysis/units/top-activations.js";
import { confusionMatrix, perClassAccuracy, accuracy } from "../../lib/analysis/predictions/confusion.js";
import { forwardTo, uploadNetwork } from "../../lib/network/tensor-network.js";
import { invertFeature, type InversionResult } from "../../lib/network/feature-inversion.js";
import type { InterventionRunner } from "../../lib/network/intervention.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { histogramChart } from "../histogram-chart.js";
import { perClassAccuracyChart } from "../accuracy-bars.js";
import { digitCanvas } from "../digit-canvas.js";
import { imageGrid } from "../image-grid.js";
import { cellError } from "../cell-error.js";
import { resolveWidth, setTestId } from "../chart-helpers.js";
import { perImage, type LayerData } from "./layer-data.js";

type Tensor2D = import("@tensorflow/tfjs").Tensor2D;

/** One SAE as the dashboard needs it: weights, and the basis it reads (null on the neurons). */
export interface ChosenSae {
  id: string;
  weights: SaeWeights;
  basis: FittedBasis | null;
}

export interface FeatureCodes {
  /** Codes of every evaluation row [rows, dSae]. */
  rows: ActivationMatrix;
  /** Per evaluation image: the code (a conv layer: the largest over positions) [images, dSae]. */
  images: ActivationMatrix;
}

export function featureCodes(tf: TF, sae: ChosenSae, data: LayerData): FeatureCodes {
  const input = sae.basis ? toBasis(sae.basis, data.evaluation) : data.evaluation;
  const rows = encodeActivations(tf, sae.weights, input);
  return { rows, images: perImage(rows, data.positions) };
}

/** The feature with the largest total activation: a sensible first one to show. */
export function busiestFeature(codes: FeatureCodes): number {
  const totals = new Float64Array(codes.images.cols);
  for (let r = 0; r < codes.images.rows; r++) for (let j = 0; j < codes.images.cols; j++) totals[j] += codes.images.data[r * codes.images.cols + j];
  return totals.indexOf(Math.max(...totals));
}

export function checkFeature(value: unknown, dSae: number): { value: number; error: null } | { value: null; error: string } {
  return checkNumberInput(value, { label: "Feature", min: 0, max: dSae - 1, integer: true });
}

function column(m: ActivationMatrix, j: number): Float32Array {
  return Float32Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + j]);
}

/** The feature's values where it fires, and its firing rate (its density). */
export function featureHistogram(sae: ChosenSae, codes: FeatureCodes, feature: number, options: { width?: number } = {}): Element {
  const values = column(codes.rows, feature);
  const threshold = activeAbove(sae.weights.architecture);
  const firing = values.filter((v) => v > threshold);
  const box = document.createElement("div");
  const note = document.createElement("p");
  note.dataset.testid = "feature-density";
  note.textContent = `Feature ${feature} fires (code > ${threshold}) on ${firing.length.toLocaleString("en-US")} of ${values.length.toLocaleString("en-US")} evaluation rows: a density of ${(firing.length / values.length).toExponential(2)} (log10 ${Math.log10(Math.max(firing.length, 1) / values.length).toFixed(2)}).`;
  box.append(note);
  if (firing.length > 0) {
    const max = Math.max(...firing);
    box.append(
      histogramChart([{ label: "where it fires", ...histogram(firing, { bins: 30, min: threshold, max: max > threshold ? max : threshold + 1 }) }], {
        width: options.width,
        xLabel: `feature ${feature} activation`,
        yLabel: "rows",
      }),
    );
  }
  return box;
}

function digitsGrid(testSet: ImageSet, peaks: UnitPeak[], evaluationImages: Int32Array, caption: string): HTMLElement {
  const pixels = testSet.rows * testSet.cols;
  return imageGrid(
    caption,
    peaks.map((peak) => {
      const image = evaluationImages[peak.example];
      return {
        canvas: digitCanvas(testSet.images.subarray(image * pixels, (image + 1) * pixels), { rows: testSet.rows, cols: testSet.cols, scale: 2 }),
        label: `#${image}: ${peak.value.toFixed(2)}`,
      };
    }),
  );
}

/** The feature's value on each evaluation image, as the peak lists of lib/analysis take them. */
function featurePeaks(codes: FeatureCodes, feature: number): UnitPeak[] {
  return Array.from(column(codes.images, feature), (value, example) => ({ example, value, position: [0, 0] as [number, number] }));
}

/**
 * The test images where the feature is largest, and images from lower ranges of its values where
 * it fires (as SAE viewers show activation intervals): a sparse feature is 0 on most images, so
 * quantiles over all of them would show images where it is off.
 */
export function featureTopImages(testSet: ImageSet, sae: ChosenSae, codes: FeatureCodes, evaluationImages: Int32Array, feature: number): Element {
  const peaks = featurePeaks(codes, feature);
  const firing = peaks.filter((p) => p.value > activeAbove(sae.weights.architecture));
  const box = document.createElement("div");
  box.dataset.testid = "feature-top-images";
  box.append(
    digitsGrid(
      testSet,
      topPeaks(peaks, 16),
      evaluationImages,
      `The 16 evaluation images where feature ${feature} is largest (caption: test image # and value)`,
    ),
  );
  if (firing.length === 0) return box;
  for (const [from, to, what] of [
    [0.5, 0.9, "between the 50th and 90th percentile"],
    [0, 0.5, "below the median"],
  ] as const) {
    box.append(
      digitsGrid(
        testSet,
        peaksInBand(firing, from, to, 8),
        evaluationImages,
        `Images ${what} of its values on the ${firing.length.toLocaleString("en-US")} images where it fires`,
      ),
    );
  }
  return box;
}

/** The test image (by its index in the test set) on which the feature is largest. */
export function strongestImage(codes: FeatureCodes, evaluationImages: Int32Array, feature: number): number {
  return evaluationImages[topPeaks(featurePeaks(codes, feature), 1)[0].example];
}

/** The share of the feature's total activation carried by each class's images. */
export function featureClassMass(
  codes: FeatureCodes,
  labels: ArrayLike<number>,
  classNames: string[],
  feature: number,
  options: { width?: number } = {},
): Element {
  const values = column(codes.images, feature);
  const mass = new Float64Array(classNames.length);
  values.forEach((v, i) => (mass[labels[i]] += v));
  const total = mass.reduce((a, b) => a + b, 0);
  const data = classNames.map((name, c) => ({ class: name, share: total > 0 ? mass[c] / total : 0 }));
  const chart = Plot.plot({
    width: resolveWidth(options.width, "featureClassMass"),
    height: 200,
    x: { label: "class", domain: classNames },
    y: { label: "share of the feature's activation", grid: true, tickFormat: (v: number) => `${Math.round(100 * v)}%` },
    marks: [Plot.barY(data, { x: "class", y: "share", fill: "steelblue", tip: true }), Plot.ruleY([0])],
  }) as Element;
  return setTestId(chart, "feature-class-mass");
}

/** Feature j's decoder direction in the layer's own units (through the basis when there is one). */
export function decoderDirection(sae: ChosenSae, feature: number): Float32Array {
  const { weights, basis } = sae;
  const row = weights.W_dec.subarray(feature * weights.dIn, (feature + 1) * weights.dIn);
  const scaled = Float32Array.from(row, (w) => w / weights.inputScale);
  if (!basis) return scaled;
  const out = new Float32Array(basis.dLayer);
  for (let i = 0; i < basis.dIn; i++) for (let c = 0; c < basis.dLayer; c++) out[c] += scaled[i] * basis.inverse[i * basis.dLayer + c];
  return out;
}

/** The mean change of each logit over all test images when the decoder direction is added to the layer. */
export async function featureLogitEffect(
  runner: InterventionRunner,
  layer: string,
  sae: ChosenSae,
  feature: number,
  classNames: string[],
  options: { width?: number } = {},
): Promise<Element> {
  const shift = await runner.logitShift(layer, decoderDirection(sae, feature));
  const data = classNames.map((name, c) => ({ class: name, shift: shift[c] }));
  const chart = Plot.plot({
    width: resolveWidth(options.width, "featureLogitEffect"),
    height: 200,
    x: { label: "class", domain: classNames },
    y: { label: "mean change of the logit", grid: true },
    color: { type: "diverging", scheme: "burd" },
    marks: [Plot.barY(data, { x: "class", y: "shift", fill: "shift", tip: true }), Plot.ruleY([0])],
  }) as Element;
  return setTestId(chart, "feature-logit-effect");
}

/** The feature's value from the layer's activation tensor: the code, summed over the positions of a conv map. */
function featureOf(
  tf: TF,
  sae: ReturnType<typeof uploadSae>,
  basis: ReturnType<typeof uploadBasis> | null,
  activation: Tensor,
  units: number,
  feature: number,
): Tensor {
  const rows = tf.reshape(activation, [-1, units]) as Tensor2D;
  const codes = encodeTensor(tf, sae, basis ? basis.toBasis(rows) : rows);
  return tf.sum(tf.slice(codes, [0, feature], [-1, 1]));
}

/** d feature / d pixel for one image, and the feature's value on it. */
export async function featureSaliency(
  tf: TF,
  network: Network,
  layer: string,
  units: number,
  sae: ChosenSae,
  feature: number,
  image: Float32Array,
): Promise<{ gradient: Float32Array; value: number }> {
  const model = uploadNetwork(tf, network);
  const uploaded = uploadSae(tf, sae.weights);
  const basis = sae.basis ? uploadBasis(tf, sae.basis) : null;
  try {
    const { value, grad } = tf.tidy(() =>
      tf.valueAndGrad(
        (x: Tensor) => featureOf(tf, uploaded, basis, forwardTo(tf, model, x as Tensor2D, layer), units, feature) as import("@tensorflow/tfjs").Scalar,
      )(tf.tensor2d(image, [1, image.length])),
    );
    try {
      return { gradient: Float32Array.from(await grad.data()), value: (await value.data())[0] };
    } finally {
      tf.dispose([value, grad]);
    }
  } finally {
    basis?.dispose();
    uploaded.dispose();
    model.dispose();
  }
}

/** The feature's encoder pre-activation (its input to the nonlinearity), summed over positions. */
function featurePreActivation(
  tf: TF,
  sae: ReturnType<typeof uploadSae>,
  basis: ReturnType<typeof uploadBasis> | null,
  activation: Tensor,
  units: number,
  feature: number,
): Tensor {
  const rows = tf.reshape(activation, [-1, units]) as Tensor2D;
  return tf.sum(tf.slice(preActivations(tf, sae, basis ? basis.toBasis(rows) : rows), [0, feature], [-1, 1]));
}

/** Adam's step size for feature inversion (pixels are in [0, 1]). */
export const INVERSION_LEARNING_RATE = 0.05;

export interface FeatureInversion extends InversionResult {
  /** The feature's code on the optimized image (the objective is its pre-activation). */
  code: number;
}

/**
 * Feature inversion with the reader's regularization (see lib/network/feature-inversion.ts). It
 * maximizes the feature's pre-activation, not its code: a ReLU or TopK code is 0, with a zero
 * gradient, on the faint starting image, where gradient ascent on the code would never move.
 */
export async function featureInversion(
  tf: TF,
  network: Network,
  layer: string,
  units: number,
  sae: ChosenSae,
  feature: number,
  settings: { l2: number; tv: number; jitter: number; steps: number },
  hooks: { betweenSteps?: () => Promise<void> } = {},
): Promise<FeatureInversion> {
  const uploaded = uploadSae(tf, sae.weights);
  const basis = sae.basis ? uploadBasis(tf, sae.basis) : null;
  const model = uploadNetwork(tf, network);
  try {
    const result = await invertFeature(
      tf,
      network,
      layer,
      (activation) => featurePreActivation(tf, uploaded, basis, activation, units, feature),
      { ...settings, learningRate: INVERSION_LEARNING_RATE, seed: feature },
      hooks,
    );
    const code = tf.tidy(() =>
      featureOf(tf, uploaded, basis, forwardTo(tf, model, tf.tensor2d(result.image, [1, result.image.length]), layer), units, feature),
    );
    try {
      return { ...result, code: (await code.data())[0] };
    } finally {
      code.dispose();
    }
  } finally {
    model.dispose();
    basis?.dispose();
    uploaded.dispose();
  }
}

export function imagePair(image: Float32Array, gradient: Float32Array, caption: [string, string], side: number): Element {
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:1.5rem";
  const figure = (canvas: HTMLCanvasElement, text: string) => {
    const f = document.createElement("figure");
    f.style.margin = "0";
    const c = document.createElement("figcaption");
    c.textContent = text;
    c.style.maxWidth = `${side * 5}px`;
    f.append(canvas, c);
    return f;
  };
  box.append(
    figure(digitCanvas(image, { rows: side, cols: side, scale: 5, max: 1 }), caption[0]),
    figure(digitCanvas(gradient, { rows: side, cols: side, scale: 5, colors: "diverging" }), caption[1]),
  );
  return box;
}

/** Steering: per-class accuracy with alpha × the feature's direction added to every test image's layer. */
export async function steering(
  runner: InterventionRunner,
  layer: string,
  sae: ChosenSae,
  feature: number,
  alpha: unknown,
  clean: { predicted: Uint8Array; perClass: Float64Array },
  testSet: ImageSet,
  classNames: string[],
  options: { width?: number } = {},
): Promise<Element> {
  const checked = checkNumberInput(alpha, { label: "Steering strength", min: -20, max: 20 });
  if (checked.error !== null) return cellError(checked.error);
  const [predicted] = await runner.steer(layer, decoderDirection(sae, feature), [checked.value]);
  const confusion = confusionMatrix(predicted, testSet.labels, classNames.length);
  const moved = predicted.reduce((n, p, i) => n + (p !== clean.predicted[i] ? 1 : 0), 0);
  const box = document.createElement("div");
  const summary = document.createElement("p");
  summary.dataset.testid = "steering-summary";
  summary.textContent = `Adding ${checked.value} × feature ${feature}'s direction to ${layer}: test accuracy ${(100 * accuracy(predicted, testSet.labels)).toFixed(2)}%; ${moved.toLocaleString("en-US")} of ${testSet.count.toLocaleString("en-US")} predictions changed.`;
  box.append(summary, perClassAccuracyChart({ classNames, baseline: clean.perClass, modified: perClassAccuracy(confusion) }, { width: options.width }));
  return box;
}
