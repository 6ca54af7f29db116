// One basis of one layer against the ground truth: every unit's best explanation (a class, a
// measured concept, a concept within a class), the basis's summary, and for an SAE the two
// sparsity-matched nulls it must beat (controls.ts): a random dictionary over the SAE's own input
// firing at each latent's rate (three seeds), and the layer's neurons thresholded to the SAE's
// mean firing rate. The build writes these reports; pages only read them.
import type { ActivationMatrix } from "../analysis/types.js";
import { compareToControl, type ControlComparison } from "./margin.js";
import {
  explainUnits,
  summarizeExplanations,
  type ExplanationInput,
  type ExplanationKind,
  type ExplanationSummary,
  type UnitExplanation,
} from "./explanations.js";
import { randomDictionaryAtFiringRate, thresholdToFiringRate } from "./controls.js";

export type BasisKind = "neurons" | "pca" | "ica" | "sae";

export interface ScoreSetup {
  /** A unit counts as explained when its best score reaches this (on the [0, 1] scale of explanations.ts). */
  threshold: number;
  /** Seeds of the random-dictionary control. */
  controlSeeds: readonly number[];
  /** The least margin over a control that counts (margin.ts). */
  minMargin: number;
}

export const SCORE_SETUP: ScoreSetup = { threshold: 0.5, controlSeeds: [1, 2, 3], minMargin: 0.02 };

export interface BasisInput {
  /** "neurons", "pca", "ica", or the SAE's sweep id. */
  id: string;
  kind: BasisKind;
  /** What an SAE reads (its id's basis); the basis itself otherwise. */
  basis: "neurons" | "pca" | "ica";
  architecture?: string;
  /** One row per image, one column per unit (neuron, component or latent). */
  values: ActivationMatrix;
  /** A unit fires where its value is above this (0; a KL SAE's sigmoid codes: 0.5). */
  activeAbove: number;
  /** SAEs only: what the SAE encodes (the layer's values in its basis), for the random dictionary. */
  controlInput?: ActivationMatrix;
  /** SAEs only: why its training failed (training-failure.ts), if it did. */
  failure?: string;
}

/** One unit's best explanation, compact: kind, name, class (for class and concept-in-class), score, F1. */
export interface UnitRow {
  kind: ExplanationKind | "none";
  name: string;
  classIndex?: number;
  score: number;
  f1: number;
}

export interface ControlReport {
  /** What the control is, in a phrase for a page. */
  what: string;
  /** One summary per seed (one for a deterministic control). */
  summaries: ExplanationSummary[];
  /** The basis's median score against the control's (margin.ts). */
  comparison: ControlComparison;
  /** The same for the share explained: the basis's share minus the mean over the control's seeds. */
  shareMargin: number;
}

export interface BasisReport {
  id: string;
  kind: BasisKind;
  basis: "neurons" | "pca" | "ica";
  architecture?: string;
  units: number;
  /** Mean firing rate over the units that fire at all (value > activeAbove); NaN for a signed basis. */
  firingRate: number;
  summary: ExplanationSummary;
  unitRows: UnitRow[];
  controls?: { randomDictionary: ControlReport; thresholdedNeurons: ControlReport };
  failure?: string;
}

/** Per unit, the fraction of rows where it is above `activeAbove`. */
export function ratesAbove(m: ActivationMatrix, activeAbove: number): Float64Array {
  const counts = new Float64Array(m.cols);
  for (let r = 0; r < m.rows; r++) for (let u = 0; u < m.cols; u++) if (m.data[r * m.cols + u] > activeAbove) counts[u]++;
  return counts.map((c) => c / Math.max(1, m.rows));
}

const meanLive = (rates: Float64Array) => {
  const live = rates.filter((r) => r > 0);
  return live.length > 0 ? live.reduce((a, b) => a + b, 0) / live.length : NaN;
};

const unitRow = (e: UnitExplanation): UnitRow => ({
  kind: e.kind,
  name: e.name,
  ...(e.classIndex !== undefined ? { classIndex: e.classIndex } : {}),
  score: e.score,
  f1: e.f1,
});

const scoresOf = (explanations: readonly UnitExplanation[]) => explanations.map((e) => e.score);

function controlReport(what: string, basis: readonly UnitExplanation[], runs: readonly UnitExplanation[][], setup: ScoreSetup): ControlReport {
  const summaries = runs.map((run) => summarizeExplanations(run, setup.threshold));
  const basisShare = summarizeExplanations(basis, setup.threshold).shareExplained;
  const controlShare = summaries.reduce((a, s) => a + s.shareExplained, 0) / summaries.length;
  return {
    what,
    summaries,
    comparison: compareToControl(scoresOf(basis), runs.map(scoresOf), { minMargin: setup.minMargin }),
    shareMargin: basisShare - controlShare,
  };
}

/**
 * The values with every inactive one (≤ activeAbove) set to 0, when activeAbove > 0: a KL SAE's
 * sigmoid codes are never 0, but a latent below 0.5 is off, and scoring the raw codes would
 * read a sparse code as a dense one (and compare it unfairly with controls that are exactly 0
 * when off).
 */
export function activeValues(m: ActivationMatrix, activeAbove: number): ActivationMatrix {
  if (!(activeAbove > 0)) return m;
  return { ...m, data: m.data.map((v) => (v > activeAbove ? v : 0)) };
}

/** The report of one basis; `neurons` are the layer's own units on the same images (for the thresholded control). */
export function basisReport(input: BasisInput, neurons: ActivationMatrix, concepts: ExplanationInput, setup: ScoreSetup = SCORE_SETUP): BasisReport {
  const signed = input.kind === "pca" || input.kind === "ica";
  const explanations = explainUnits(activeValues(input.values, input.activeAbove), concepts, { direction: signed ? "either" : "positive" });
  const rates = ratesAbove(input.values, input.activeAbove);
  const report: BasisReport = {
    id: input.id,
    kind: input.kind,
    basis: input.basis,
    ...(input.architecture !== undefined ? { architecture: input.architecture } : {}),
    units: input.values.cols,
    firingRate: signed ? NaN : meanLive(rates),
    summary: summarizeExplanations(explanations, setup.threshold),
    unitRows: explanations.map(unitRow),
    ...(input.failure !== undefined ? { failure: input.failure } : {}),
  };
  if (input.kind !== "sae") return report;
  if (!input.controlInput) throw new Error(`basisReport: SAE ${input.id} needs its input (controlInput) for the random-dictionary control`);
  if (input.controlInput.rows !== input.values.rows)
    throw new Error(`basisReport: SAE ${input.id} has ${input.values.rows} rows of codes but ${input.controlInput.rows} of input`);
  const random = setup.controlSeeds.map((seed) =>
    explainUnits(randomDictionaryAtFiringRate(input.controlInput as ActivationMatrix, input.values.cols, rates, seed), concepts),
  );
  const rate = report.firingRate;
  const thresholded = Number.isFinite(rate)
    ? [explainUnits(thresholdToFiringRate(neurons, rate), concepts)]
    : [neurons.cols ? explainUnits(thresholdToFiringRate(neurons, 0), concepts) : []];
  report.controls = {
    randomDictionary: controlReport("a random dictionary of the same width, each latent firing as often as the SAE's", explanations, random, setup),
    thresholdedNeurons: controlReport(
      `the layer's neurons, each kept on its top ${(100 * (Number.isFinite(rate) ? rate : 0)).toFixed(1)}% of images (the SAE's mean firing rate)`,
      explanations,
      thresholded,
      setup,
    ),
  };
  return report;
}
