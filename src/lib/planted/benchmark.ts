// One row of the live planted-feature benchmark: how well one learned dictionary (an SAE's decoder
// rows and its codes on the planted samples) recovers the planted features, in SynthSAEBench's
// scores (recovery.ts) and in the project's own label-style score computed against the true
// features, so a reader can see whether a score that needs only labels tracks true recovery; and
// the same row for a random dictionary of the same width, the null every SAE has to beat. Pure:
// no DOM, no tfjs; the page trains the SAEs in its worker and hands the weights here.
//
// Decoder directions and the SAE's input normalization. An SAE of this project reads x · s (s > 0,
// one number: "mean-norm" scales, it does not centre), subtracts b_dec, encodes, and reconstructs
// x̂ = (f · W_dec + b_dec) / s. So latent j adds f_j · W_dec[j] / s to x̂: its direction in the
// activations' own space is row j of W_dec, up to the positive factor 1 / s, which no cosine
// sees. b_dec is an offset (the point the codes are measured from), not part of any direction, so
// nothing is subtracted from the decoder rows. Only an SAE trained on a rotated basis (PCA, ICA:
// z = (x − mean) · Tᵀ) would need its rows mapped back (W_dec · basis_inverse; the mean is again
// only an offset); the live benchmark trains on the activations themselves.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations, assertPositiveInteger } from "../analysis/validate.js";
import { aurocFromRankSum } from "../ground-truth/auroc.js";
import { aurocScore } from "../ground-truth/explanations.js";
import { argsortAscending, averageRanks } from "../ground-truth/ranks.js";
import { randomDictionaryCodes, randomDirections } from "../ground-truth/controls.js";
import { spearman } from "../ground-truth/spearman.js";
import { SAE_ARCHITECTURES, activeAbove, type SaeArchitecture, type SaeConfigInput } from "../sae/config.js";
import { architecture } from "../sae/architectures/index.js";
import { encodeReference } from "../sae/encode.js";
import { encodeSafetensors, type SafetensorsTensor } from "../sae/safetensors.js";
import { checkSaeWeights, type SaeWeights } from "../sae/weights.js";
import { checkNumberInput, describeValue } from "../validate-input.js";
import { activationMatrix, describeGenerator, directionMatrix, type PlantedData } from "./generate.js";
import { firingScores, hungarianMcc, meanMaxCosine } from "./recovery.js";
import { DEFAULT_PLANTED_SPEC, validatePlantedSpec, type PlantedSpec } from "./spec.js";

/** What one dictionary brings to the benchmark. */
export interface LearnedDictionary {
  /** The row's name: an SAE architecture, or "random" for the control. */
  architecture: string;
  /** dSae × d: the learned directions (an SAE's W_dec rows, as they are; see the header). */
  decoder: ActivationMatrix;
  /** samples × dSae: the codes of the planted samples, row-major. */
  codes: ActivationMatrix;
  /** A code counts as active above this (0 for ReLU-family codes, 0.5 for kl's sigmoid codes; default 0). */
  activeAbove?: number;
}

export interface PlantedRow {
  architecture: string;
  dSae: number;
  /** Mean over true features of the best |cos| with any learned direction (no one-to-one constraint). */
  meanMaxCos: number;
  /** Hungarian-matched mean |cos| over min(n, dSae) pairs (SynthSAEBench's MCC). */
  mcc: number;
  /** The matched |cos| total spread over all n true features (= mcc when dSae ≥ n). */
  coverage: number;
  /** Means over the matched true features of the matched latent as a detector of its feature. */
  precision: number;
  recall: number;
  f1: number;
  /** Mean number of active latents per sample. */
  l0: number;
  /** Latents never active on any sample, as a fraction of dSae. */
  deadFraction: number;
  /** Latents active on at least one sample. */
  liveLatents: number;
  /**
   * The label-style score against the truth: for each live latent its best one-sided AUROC score
   * max(0, 2·AUROC − 1) (aurocScore, the scale of explanations.ts) of its code against "true feature
   * i fires", over all true features i; the mean over live latents (NaN when none is live).
   */
  labelScore: number;
  /** Per latent, that best score (NaN for a dead latent) and which true feature won it (−1 for none). */
  latentLabelScores: Float64Array;
  latentBestFeature: Int32Array;
  /** Per true feature, the |cos| of its Hungarian partner (0 if unmatched) and the partner (−1 if none). */
  matchedCosines: Float64Array;
  matching: Int32Array;
}

function checkDictionary(data: PlantedData, learned: LearnedDictionary): void {
  const what = `plantedRow (${describeValue(learned.architecture)})`;
  assertActivationMatrix(learned.decoder, `${what}: decoder`);
  assertActivationMatrix(learned.codes, `${what}: codes`);
  const { n, d } = data.spec;
  if (learned.decoder.cols !== d) throw new Error(`${what}: the decoder's rows must have d = ${d} values, found ${learned.decoder.cols}`);
  if (learned.decoder.rows === 0) throw new Error(`${what}: the decoder needs at least one row, found none`);
  if (learned.codes.rows !== data.rows) throw new Error(`${what}: expected codes for the ${data.rows} planted samples, found ${learned.codes.rows} rows`);
  if (learned.codes.cols !== learned.decoder.rows) {
    throw new Error(`${what}: the codes must have one column per decoder row (${learned.decoder.rows}), found ${learned.codes.cols}`);
  }
  assertFiniteActivations(learned.decoder, `${what}: decoder`);
  assertFiniteActivations(learned.codes, `${what}: codes`);
  if (n === 0) throw new Error(`${what}: the planted data has no features`);
}

/**
 * The best one-sided AUROC score of each latent against each true feature's firing. One sort of a
 * latent's column gives its average ranks; the positives' rank sum for every feature then comes
 * from one pass over the sparse true codes, O(samples log samples + nonzeros) per latent. A latent
 * never above `threshold` is dead: NaN. Yields after every `latentsPerStep` latents.
 */
export function* latentLabelScoreSteps(
  data: PlantedData,
  codes: ActivationMatrix,
  threshold = 0,
  latentsPerStep = 8,
): Generator<void, { scores: Float64Array; bestFeature: Int32Array }> {
  const { n } = data.spec;
  const samples = data.rows;
  const m = codes.cols;
  const { rowStart, feature } = data.sparseCodes;
  const fires = new Float64Array(n);
  for (let e = 0; e < feature.length; e++) fires[feature[e]]++;
  const scores = new Float64Array(m).fill(NaN);
  const bestFeature = new Int32Array(m).fill(-1);
  const column = new Float32Array(samples);
  const rankSum = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    if (j > 0 && j % latentsPerStep === 0) yield;
    let active = false;
    for (let s = 0; s < samples; s++) {
      column[s] = codes.data[s * m + j];
      if (column[s] > threshold) active = true;
    }
    if (!active) continue;
    const ranks = averageRanks(column, argsortAscending(column));
    rankSum.fill(0);
    for (let s = 0; s < samples; s++) for (let e = rowStart[s]; e < rowStart[s + 1]; e++) rankSum[feature[e]] += ranks[s];
    let best = -Infinity;
    let winner = -1;
    for (let i = 0; i < n; i++) {
      const { score } = aurocScore(aurocFromRankSum(rankSum[i], fires[i], samples - fires[i]));
      if (score > best) {
        best = score;
        winner = i;
      }
    }
    // NaN (never > -Infinity) for every feature: each fired in no sample or in all of them.
    if (winner >= 0) {
      scores[j] = best;
      bestFeature[j] = winner;
    }
  }
  return { scores, bestFeature };
}

/** latentLabelScoreSteps in one go. */
export function latentLabelScores(data: PlantedData, codes: ActivationMatrix, threshold = 0): { scores: Float64Array; bestFeature: Int32Array } {
  return runSteps(latentLabelScoreSteps(data, codes, threshold));
}

/** Runs a step generator of this module to its end, with no pauses. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The benchmark's scores for one learned dictionary on the planted data, as steps: it yields
 * between pieces of work of a few tens of milliseconds (the per-latent AUROCs), so a page can
 * pause there; plantedRow runs it in one go.
 */
export function* plantedRowSteps(data: PlantedData, learned: LearnedDictionary): Generator<void, PlantedRow> {
  checkDictionary(data, learned);
  const threshold = learned.activeAbove ?? 0;
  if (!(threshold >= 0 && Number.isFinite(threshold)))
    throw new Error(`plantedRow: activeAbove must be a finite number ≥ 0, found ${describeValue(threshold)}`);
  const truth = directionMatrix(data);
  const { decoder, codes } = learned;
  const samples = data.rows;
  const m = decoder.rows;
  const maxCos = meanMaxCosine(truth, decoder);
  const matched = hungarianMcc(truth, decoder);
  yield;
  // "Active" as 1/0, so firingScores' "> 0" means "above the architecture's threshold".
  const active = new Uint8Array(samples * m);
  const fired = new Uint8Array(m);
  let activeCount = 0;
  for (let k = 0; k < active.length; k++) {
    if (codes.data[k] > threshold) {
      active[k] = 1;
      fired[k % m] = 1;
      activeCount++;
    }
  }
  const firing = firingScores(data.codes, active, matched.matching, samples);
  let live = 0;
  for (let j = 0; j < m; j++) live += fired[j];
  yield;
  const { scores, bestFeature } = yield* latentLabelScoreSteps(data, codes, threshold);
  let labelSum = 0;
  let labelCount = 0;
  for (let j = 0; j < m; j++) {
    if (Number.isFinite(scores[j])) {
      labelSum += scores[j];
      labelCount++;
    }
  }
  return {
    architecture: learned.architecture,
    dSae: m,
    meanMaxCos: maxCos.mean,
    mcc: matched.mcc,
    coverage: matched.coverage,
    precision: firing.mean.precision,
    recall: firing.mean.recall,
    f1: firing.mean.f1,
    l0: activeCount / samples,
    deadFraction: (m - live) / m,
    liveLatents: live,
    labelScore: labelCount > 0 ? labelSum / labelCount : NaN,
    latentLabelScores: scores,
    latentBestFeature: bestFeature,
    matchedCosines: matched.cosines,
    matching: matched.matching,
  };
}

/** The benchmark's scores for one learned dictionary on the planted data. */
export function plantedRow(data: PlantedData, learned: LearnedDictionary): PlantedRow {
  return runSteps(plantedRowSteps(data, learned));
}

/** The mean number of true features firing per sample, rounded, at least 1: the control's k. */
export function trueMeanL0(data: PlantedData): number {
  return Math.max(1, Math.round(data.sparseCodes.feature.length / data.rows));
}

/**
 * The null row: a random dictionary of dSae unit directions (uniform on the sphere, seeded; the
 * ground-truth controls' randomDirections), codes = TopK of the projections of the centred
 * activations (randomDictionaryCodes: ReLU on the k largest). k is matched to the TRUE mean L0
 * (trueMeanL0) by default, so one control serves every SAE row whatever each SAE's own L0 turned out.
 */
export function* randomBaselineSteps(data: PlantedData, dSae: number, seed: number, k: number = trueMeanL0(data)): Generator<void, PlantedRow> {
  assertPositiveInteger(dSae, "randomBaselineRow: dSae");
  assertPositiveInteger(k, "randomBaselineRow: k");
  const { d } = data.spec;
  const columns = randomDirections(d, dSae, seed);
  const rows = new Float32Array(dSae * d);
  for (let j = 0; j < dSae; j++) for (let i = 0; i < d; i++) rows[j * d + i] = columns[i * dSae + j];
  // The same seed and width give randomDictionaryCodes the same directions (controls.ts).
  const codes = randomDictionaryCodes(activationMatrix(data), dSae, Math.min(k, dSae), seed);
  yield;
  return yield* plantedRowSteps(data, { architecture: "random", decoder: { rows: dSae, cols: d, data: rows }, codes });
}

export function randomBaselineRow(data: PlantedData, dSae: number, seed: number, k: number = trueMeanL0(data)): PlantedRow {
  return runSteps(randomBaselineSteps(data, dSae, seed, k));
}

/** An SAE's decoder rows as the benchmark's dictionary directions (no copy; see the header for why nothing is transformed). */
export function decoderDirections(weights: SaeWeights): ActivationMatrix {
  checkSaeWeights(weights, "decoderDirections");
  return { rows: weights.dSae, cols: weights.dIn, data: weights.W_dec };
}

/**
 * The SAE's codes of every row of `m` (m.rows × dSae), with the float64 reference encoder
 * (encode.ts) so no tfjs is needed, yielding after every `rowsPerStep` rows.
 */
export function* saeCodeSteps(weights: SaeWeights, m: ActivationMatrix, rowsPerStep = 2000): Generator<void, ActivationMatrix> {
  checkSaeWeights(weights, "saeCodes");
  assertActivationMatrix(m, "saeCodes: activations");
  const { dIn, dSae } = weights;
  if (m.cols !== dIn) throw new Error(`saeCodes: the SAE reads ${dIn} values per input, the activations have ${m.cols}`);
  const out = new Float32Array(m.rows * dSae);
  for (let r = 0; r < m.rows; r++) {
    if (r > 0 && r % rowsPerStep === 0) yield;
    out.set(encodeReference(weights, m.data.subarray(r * dIn, (r + 1) * dIn)), r * dSae);
  }
  return { rows: m.rows, cols: dSae, data: out };
}

export function saeCodes(weights: SaeWeights, m: ActivationMatrix): ActivationMatrix {
  return runSteps(saeCodeSteps(weights, m));
}

/** A trained SAE's row, as steps: its codes of the planted samples, then its scores, "active" as its architecture defines it. */
export function* saeRowSteps(data: PlantedData, weights: SaeWeights): Generator<void, PlantedRow> {
  const codes = yield* saeCodeSteps(weights, activationMatrix(data));
  return yield* plantedRowSteps(data, {
    architecture: weights.architecture,
    decoder: decoderDirections(weights),
    codes,
    activeAbove: activeAbove(weights.architecture),
  });
}

export function saeRow(data: PlantedData, weights: SaeWeights): PlantedRow {
  return runSteps(saeRowSteps(data, weights));
}

export interface PlantedRunFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/**
 * The files to download: planted-features.safetensors with the true directions ("directions",
 * n × d) and each run's decoder ("<architecture>.W_dec", dSae × d), and planted-generator.json
 * (describeGenerator: the spec, every formula, the per-feature probabilities and structure).
 */
export function plantedRunFiles(data: PlantedData, runs: readonly { architecture: string; decoder: ActivationMatrix }[]): PlantedRunFile[] {
  const { n, d } = data.spec;
  const tensors: Record<string, SafetensorsTensor> = { directions: { shape: [n, d], data: data.directions } };
  for (const run of runs) {
    const name = `${run.architecture}.W_dec`;
    if (name in tensors) throw new Error(`plantedRunFiles: two runs are called ${describeValue(run.architecture)}`);
    assertActivationMatrix(run.decoder, `plantedRunFiles: ${name}`);
    if (run.decoder.cols !== d) throw new Error(`plantedRunFiles: ${name} must have d = ${d} columns, found ${run.decoder.cols}`);
    tensors[name] = { shape: [run.decoder.rows, d], data: run.decoder.data };
  }
  const generator = describeGenerator(data.spec);
  const safetensors = encodeSafetensors(tensors, {
    generator: generator.generator,
    spec: JSON.stringify(data.spec),
    rows: "directions: the n true unit directions; <architecture>.W_dec: that SAE's decoder rows (its latents' directions, in the activations' space)",
  });
  return [
    { name: "planted-features.safetensors", type: "application/octet-stream", bytes: safetensors },
    { name: "planted-generator.json", type: "application/json", bytes: new TextEncoder().encode(JSON.stringify(generator, null, 2)) },
  ];
}

// ---- The page's inputs, checked ----

/** What the page's text controls hold (numbers or raw text). */
export interface PlantedInputValues {
  d: unknown;
  n: unknown;
  meanProbability: unknown;
  correlation: unknown;
  steps: unknown;
  /** A comma- or space-separated list of SAE architectures. */
  architectures: unknown;
}

export interface PlantedInputs {
  spec: PlantedSpec;
  steps: number;
  architectures: SaeArchitecture[];
  /** The dictionary width of every SAE (plantedDictionarySize(n)): at least n, so one-to-one recovery is possible. */
  dSae: number;
}

export const PLANTED_STEPS = { min: 1, max: 100_000 } as const;

/**
 * Steps per SAE by default. On the fused wasm kernels, 96 latents on 24 dimensions at batch 256,
 * Node on this 2-core machine (shared, so under load) trained 10,000 steps in 3.6-5.6 s per
 * architecture, 18 s for all four, at a load average of 4.5, and 27.5 s at 7.6; scoring a row
 * costs 0.5-1.5 s of main-thread work, done in pieces while the next SAE trains. So the whole
 * benchmark takes about 20-30 s. At 1,000 steps every SAE is still near the random control (MCC
 * 0.52-0.64 against 0.51); at 10,000 TopK and L1 reach 0.90.
 */
export const PLANTED_DEFAULT_STEPS = 10_000;

/** The seed of the random control's dictionary (any fixed number: the control must not change between runs). */
export const PLANTED_CONTROL_SEED = 7;

/** Every SAE's width: n rounded up to a multiple of 4 (the fused wasm step needs one), so at least one latent per feature. */
export const plantedDictionarySize = (n: number): number => 4 * Math.ceil(n / 4);

/**
 * The SAE the benchmark trains for an architecture: dSae = plantedDictionarySize(n); the sparsity
 * the architecture's module aims at the truth's (its `targeted`: k = the true mean L0 for the TopK
 * family, the control's k too; the KL target rate ρ = the mean firing probability, kept below 1;
 * L1's fixed λ). Everything else is SAE_DEFAULTS (mean-norm input scaling, Adam at 1e-3, batch
 * 256, seed 1).
 */
export function plantedSaeConfig(data: PlantedData, name: SaeArchitecture, steps: number): SaeConfigInput {
  const dSae = plantedDictionarySize(data.spec.n);
  const sparsity = architecture(name).targeted({ meanL0: trueMeanL0(data), firingRate: data.spec.firing.meanProbability }, dSae);
  return { architecture: name, dIn: data.spec.d, dSae, steps, seed: 1, ...sparsity } as SaeConfigInput;
}

/**
 * The spec, steps and architectures the controls describe, or the first problem as one sentence:
 * the spec's own messages (validatePlantedSpec) for d, n, the firing probability and the
 * correlation. The rest of the spec is DEFAULT_PLANTED_SPEC's, except that the hierarchy shrinks
 * (fewer parents) when n is too small to hold the default one.
 */
export function plantedInputs(values: PlantedInputValues): PlantedInputs | { error: string } {
  const base = DEFAULT_PLANTED_SPEC;
  const nNumber = typeof values.n === "number" ? values.n : typeof values.n === "string" ? Number(values.n.trim()) : NaN;
  const perParent = 1 + base.hierarchy.childrenPerParent;
  const parents = Number.isInteger(nNumber) && nNumber > 0 ? Math.min(base.hierarchy.parents, Math.floor(nNumber / perParent)) : base.hierarchy.parents;
  const checked = validatePlantedSpec({
    ...base,
    d: values.d,
    n: values.n,
    firing: { ...base.firing, meanProbability: values.meanProbability },
    correlation: values.correlation,
    hierarchy: { parents, childrenPerParent: parents === 0 ? 0 : base.hierarchy.childrenPerParent },
  });
  if ("error" in checked) return checked;
  const steps = checkNumberInput(values.steps, { label: "SAE steps", ...PLANTED_STEPS, integer: true });
  if (steps.error !== null) return { error: steps.error };
  const architectures = parseArchitectures(values.architectures);
  if ("error" in architectures) return architectures;
  return { spec: checked.spec, steps: steps.value, architectures: architectures.list, dSae: plantedDictionarySize(checked.spec.n) };
}

function parseArchitectures(raw: unknown): { list: SaeArchitecture[] } | { error: string } {
  const expected = `a list of ${SAE_ARCHITECTURES.join(", ")}`;
  if (typeof raw !== "string") return { error: `Architectures must be ${expected}; found ${describeValue(raw)}.` };
  const names = raw.split(/[\s,]+/).filter((s) => s !== "");
  if (names.length === 0) return { error: `Architectures must be ${expected}; found nothing.` };
  const list: SaeArchitecture[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!SAE_ARCHITECTURES.includes(lower as SaeArchitecture)) return { error: `Architectures must be ${expected}; found ${describeValue(name)}.` };
    if (list.includes(lower as SaeArchitecture)) return { error: `Architectures lists ${describeValue(name)} twice.` };
    list.push(lower as SaeArchitecture);
  }
  return { list };
}

// ---- A reading of the numbers ----

/** Differences in MCC (or in the label-style score) smaller than this are called "within noise". */
export const PLANTED_NOISE = 0.02;

/**
 * A few sentences computed from the rows: which architecture recovers the features best and by how
 * much over the random dictionary, whether the runner-up is within noise of it, and whether the
 * label-style score ranks the architectures as MCC does. No claim is written in advance.
 */
export function plantedReading(rows: readonly PlantedRow[], control: PlantedRow, noise = PLANTED_NOISE): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
  if (rows.length === 0) return "No SAE was trained.";
  const byMcc = [...rows].sort((a, b) => b.mcc - a.mcc);
  const best = byMcc[0];
  const margin = best.mcc - control.mcc;
  const parts: string[] = [];
  const overControl =
    Math.abs(margin) <= noise
      ? `within noise of the random dictionary's ${f(control.mcc)}`
      : margin > 0
        ? `${f(margin)} above the random dictionary's ${f(control.mcc)}`
        : `${f(-margin)} below the random dictionary's ${f(control.mcc)}`;
  if (rows.length === 1) {
    parts.push(`${best.architecture} reaches an MCC of ${f(best.mcc)}, ${overControl}.`);
  } else {
    const second = byMcc[1];
    const lead = best.mcc - second.mcc;
    const tied = byMcc.filter((r) => best.mcc - r.mcc <= noise).map((r) => r.architecture);
    parts.push(
      tied.length > 1
        ? `${tied.join(", ")} recover the planted features equally well within noise (MCC ${tied.map((a) => f(rows.find((r) => r.architecture === a)!.mcc)).join(", ")}); the best, ${best.architecture} at ${f(best.mcc)}, is ${overControl}.`
        : `${best.architecture} recovers the planted features best (MCC ${f(best.mcc)}, ${f(lead)} ahead of ${second.architecture}), ${overControl}.`,
    );
    const weak = rows.filter((r) => r.mcc - control.mcc <= noise).map((r) => r.architecture);
    if (weak.length > 0) parts.push(`${weak.join(", ")} ${weak.length === 1 ? "does" : "do"} no better than the random dictionary.`);
  }
  const byLabel = [...rows].filter((r) => Number.isFinite(r.labelScore)).sort((a, b) => b.labelScore - a.labelScore);
  if (rows.length > 1 && byLabel.length > 1) {
    const labelTop = byLabel.filter((r) => byLabel[0].labelScore - r.labelScore <= noise).map((r) => r.architecture);
    const mccTop = byMcc.filter((r) => best.mcc - r.mcc <= noise).map((r) => r.architecture);
    const agree = labelTop.some((a) => mccTop.includes(a));
    const labelMargin = byLabel[0].labelScore - control.labelScore;
    parts.push(
      `The label-style score (best one-sided AUROC against a true feature, mean over live latents) ${agree ? "picks the same" : `picks ${labelTop.join(", ")}, not the same`} architecture${labelTop.length > 1 ? "s" : ""} as MCC; its best, ${f(byLabel[0].labelScore)}, is ${Math.abs(labelMargin) <= noise ? "within noise of" : labelMargin > 0 ? `${f(labelMargin)} above` : `${f(-labelMargin)} below`} the random dictionary's ${f(control.labelScore)}.`,
    );
    const rho = spearman(
      rows.map((r) => r.mcc),
      rows.map((r) => r.labelScore),
    );
    if (rows.length >= 3 && Number.isFinite(rho)) parts.push(`Across the ${rows.length} architectures the two scores' rank correlation is ${rho.toFixed(2)}.`);
  }
  const dead = rows.filter((r) => r.deadFraction >= 0.25).map((r) => `${r.architecture} (${(100 * r.deadFraction).toFixed(0)}%)`);
  if (dead.length > 0) parts.push(`Many latents died in ${dead.join(", ")}: a dead latent cannot match a feature.`);
  return parts.join(" ");
}
