// Extra loss terms added to the cross-entropy during training. They are plain JSON in TrainConfig
// (hashed into the artifact cache key) and turned here into a forward pass that returns the logits
// and the summed penalty, so the trainer needs to know nothing about the individual terms.
import type { Scalar, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import type { LayersModel, TF } from "../../src/lib/tf-types.js";
import { imageBatch } from "./batches.js";
import { blankPixelMask } from "./blank-pixels.js";
import type { PenaltySpec } from "../../src/lib/models/training-config.js";

export type { PenaltySpec };

type ActivationL1 = Extract<PenaltySpec, { kind: "activation-l1" }>;
type WeightL1 = Extract<PenaltySpec, { kind: "weight-l1" }>;

/** Each penalty as configured, plus what training measured: for weight-l1, how many pixels the mask covers. */
export type PenaltyReport = ActivationL1 | (WeightL1 & { maskedPixels: number; pixels: number });

export interface TrainingObjective {
  /** The model's logits and, with penalties, their sum; call inside the optimizer's function. */
  forward(x: Tensor, training: boolean): { logits: Tensor; penalty: Scalar | null };
  reports: PenaltyReport[];
  /** Frees the tensors the penalties hold (the pixel masks). */
  dispose(): void;
}

export interface TrainingImages {
  images: Uint8Array;
  count: number;
  pixels: number;
}

const penaltyLabel = (i: number, spec: { kind?: unknown }) => `penalties[${i}] (${String(spec.kind)})`;

/** Problems with the penalties' own fields (the model is checked by trainingObjective). */
export function penaltyProblems(penalties: unknown): string[] {
  if (penalties === undefined) return [];
  if (!Array.isArray(penalties)) return [`penalties must be a list, got ${JSON.stringify(penalties)}`];
  const problems: string[] = [];
  penalties.forEach((spec: Partial<Record<string, unknown>> | null, i) => {
    if (typeof spec !== "object" || spec === null) {
      problems.push(`penalties[${i}] must be an object, got ${JSON.stringify(spec)}`);
      return;
    }
    const where = penaltyLabel(i, spec);
    if (!(typeof spec.coefficient === "number" && Number.isFinite(spec.coefficient) && spec.coefficient >= 0)) {
      problems.push(`${where}: coefficient must be a finite number >= 0, got ${JSON.stringify(spec.coefficient)}`);
    }
    if (spec.kind === "activation-l1") {
      if (!Array.isArray(spec.layers) || spec.layers.length === 0 || !spec.layers.every((name) => typeof name === "string")) {
        problems.push(`${where}: layers must be a non-empty list of layer names, got ${JSON.stringify(spec.layers)}`);
      }
    } else if (spec.kind === "weight-l1") {
      if (typeof spec.layer !== "string") problems.push(`${where}: layer must be a layer name, got ${JSON.stringify(spec.layer)}`);
      if (spec.inputs !== "blank-pixels") problems.push(`${where}: inputs must be "blank-pixels", got ${JSON.stringify(spec.inputs)}`);
      if (!(typeof spec.blankFraction === "number" && spec.blankFraction > 0 && spec.blankFraction <= 1)) {
        problems.push(`${where}: blankFraction must be a number in (0, 1], got ${JSON.stringify(spec.blankFraction)}`);
      }
    } else {
      problems.push(`${where}: kind must be "activation-l1" or "weight-l1"`);
    }
  });
  return problems;
}

function layerNamed(model: LayersModel, name: string, where: string) {
  const layer = model.layers.find((candidate) => candidate.name === name);
  if (layer === undefined)
    throw new Error(`trainClassifier: ${where}: the model has no layer "${name}"; its layers are ${model.layers.map((l) => l.name).join(", ")}`);
  return layer;
}

/** One penalty: its value from the view's extra outputs (inside the caller's tidy and tape). */
interface Term {
  value(extra: Tensor[]): Scalar;
  report: PenaltyReport;
  /** Tensors the term holds, freed with the objective. */
  tensors: Tensor[];
}

/** `watch(name)` adds a layer to the view's outputs and returns its index among the extra outputs. */
function activationL1(tf: TF, model: LayersModel, spec: ActivationL1, where: string, watch: (name: string) => number): Term {
  const indices = spec.layers.map((name) => {
    layerNamed(model, name, where);
    return watch(name);
  });
  return {
    value(extra) {
      const batch = extra[indices[0]].shape[0] as number;
      return tf.mul(spec.coefficient / batch, tf.addN(indices.map((index) => tf.sum(tf.abs(extra[index]))))) as Scalar;
    },
    report: { ...spec, layers: [...spec.layers] },
    tensors: [],
  };
}

function blankPixelWeightL1(tf: TF, model: LayersModel, spec: WeightL1, where: string, train: TrainingImages): Term {
  const layer = layerNamed(model, spec.layer, where);
  const kernel = layer.trainableWeights.find((weight) => weight.originalName === `${layer.name}/kernel`);
  if (layer.getClassName() !== "Dense" || kernel === undefined) {
    throw new Error(`trainClassifier: ${where}: layer "${spec.layer}" is a ${layer.getClassName()}; expected a Dense layer with a kernel`);
  }
  const rows = kernel.shape[0] as number;
  if (rows !== train.pixels) {
    throw new Error(
      `trainClassifier: ${where}: layer "${spec.layer}" has ${rows} input rows but the images have ${train.pixels} pixels; blank-pixels needs the dense layer that reads the pixels`,
    );
  }
  const blank = blankPixelMask(train.images, train.count, train.pixels, spec.blankFraction);
  // [rows, 1]: broadcasts over the kernel's units, so whole rows are in or out.
  const mask = tf.tensor2d(Float32Array.from(blank), [rows, 1]);
  return {
    value: () => tf.mul(spec.coefficient, tf.sum(tf.mul(tf.abs(kernel.read()), mask))) as Scalar,
    report: { ...spec, maskedPixels: blank.reduce((a, b) => a + b, 0), pixels: rows },
    tensors: [mask],
  };
}

/**
 * The forward pass training minimizes. Without penalties it is model.apply. With activation
 * penalties it runs a view of the model whose outputs are [logits, ...penalized layers]: the same
 * layers and weights, so gradients reach the model itself.
 */
export function trainingObjective(tf: TF, model: LayersModel, penalties: PenaltySpec[] | undefined, train: TrainingImages): TrainingObjective {
  if (penalties === undefined || penalties.length === 0) {
    return { forward: (x, training) => ({ logits: model.apply(x, { training }) as Tensor, penalty: null }), reports: [], dispose: () => {} };
  }
  const watched: string[] = [];
  const watch = (name: string) => {
    if (!watched.includes(name)) watched.push(name);
    return watched.indexOf(name);
  };
  const terms: Term[] = [];
  const dispose = () => terms.forEach((term) => term.tensors.forEach((tensor) => tensor.dispose()));
  try {
    penalties.forEach((spec, i) => {
      const where = `config.${penaltyLabel(i, spec)}`;
      terms.push(spec.kind === "activation-l1" ? activationL1(tf, model, spec, where, watch) : blankPixelWeightL1(tf, model, spec, where, train));
    });
  } catch (error) {
    dispose();
    throw error;
  }
  const outputs = [model.outputs[0], ...watched.map((name) => model.getLayer(name).output as SymbolicTensor)];
  // Shares the model's layers and weights; it owns no tensors of its own.
  const view = watched.length === 0 ? model : tf.model({ inputs: model.inputs, outputs });
  return {
    forward(x, training) {
      const produced = view.apply(x, { training }) as Tensor | Tensor[];
      const [logits, ...extra] = Array.isArray(produced) ? produced : [produced];
      return { logits, penalty: tf.addN(terms.map((term) => term.value(extra))) as Scalar };
    },
    reports: terms.map((term) => term.report),
    dispose,
  };
}

/**
 * The mean penalty over the first `count` images at inference (dropout off), in chunks: the
 * activation terms are batch means, so weighting each chunk by its rows gives the whole-set mean.
 */
export function meanPenalty(tf: TF, objective: TrainingObjective, images: Uint8Array, count: number, inputShape: readonly number[], chunkSize = 1000): number {
  let sum = 0;
  for (let start = 0; start < count; start += chunkSize) {
    const rows = Math.min(chunkSize, count - start);
    tf.tidy(() => {
      const { penalty } = objective.forward(imageBatch(tf, images, inputShape, { start, count: rows }), false);
      if (penalty !== null) sum += penalty.dataSync()[0] * rows;
    });
  }
  return sum / count;
}
