// data/ground-truth/<model>.json: every scored basis of every layer the build scores, as JSON.
// JSON has no NaN, and the scores have many (dead units, signed bases' firing rates): they are
// written as null and read back as NaN; no field of the file is legitimately null.
import type { BasisReport, ScoreSetup } from "./basis-report.js";

const FORMAT = "ground-truth-v3";

/** One training run of a seed study: its metrics on the evaluation set and its ground-truth scores. */
export interface SeedRun {
  seed: number;
  fractionVarianceExplained: number;
  l0: number;
  dead: number;
  /** summarizeExplanations' median best score and share explained, on the test images. */
  medianScore: number;
  shareExplained: number;
  failure?: string;
}

/** One SAE of the sweep retrained with more seeds (data-loaders/ground-truth/seed-study.ts). */
export interface SeedStudy {
  /** The sweep SAE's id (its seed is the first run's). */
  id: string;
  architecture: string;
  basis: "neurons" | "pca" | "ica";
  runs: SeedRun[];
  /** PW-MCC of every pair of runs' decoders (Hungarian-matched mean |cos|). */
  stability: number[];
}

/** k-sparse probing of one basis: mean test F1 and AUROC over the classes and over the concepts, per k. */
export interface SparseProbingBasis {
  id: string;
  perK: { k: number; classF1: number; conceptF1: number; classAuroc: number; conceptAuroc: number }[];
}

export interface SparseProbing {
  ks: number[];
  /** Class targets ("label = c"). */
  classes: number;
  /** The yes/no concept targets. */
  concepts: string[];
  setup: Record<string, unknown>;
  bases: SparseProbingBasis[];
}

/** Feature absorption of one concept by one SAE (absorption.ts). */
export interface AbsorptionRow {
  id: string;
  architecture: string;
  basis: "neurons" | "pca" | "ica";
  concept: string;
  rate: number;
  meanAbsorptionFraction: number;
  falseNegativeRate: number;
  mainLatents: number[];
  absorbers: { latent: number; count: number; cosine: number }[];
  /** Test images with the concept on which the probe is right: the rates' denominator. */
  images: number;
  probeF1: number;
  usable: boolean;
}

export interface GroundTruthLayer {
  layer: string;
  /** Units of the layer. */
  width: number;
  /** The neurons, PCA, ICA, then each SAE of the layer's 4x grid. */
  bases: BasisReport[];
  /** The SAEs the probes read, each trained with 5 seeds. */
  seeds: SeedStudy[];
  sparseProbing: SparseProbing;
  absorption: AbsorptionRow[];
}

export interface GroundTruthFile {
  format: typeof FORMAT;
  model: string;
  classNames: string[];
  /** Images scored: every test image. */
  images: number;
  setup: ScoreSetup;
  concepts: { continuous: string[]; binary: string[] };
  layers: GroundTruthLayer[];
  seconds: number;
}

export const groundTruthFormat: typeof FORMAT = FORMAT;

export function encodeGroundTruthFile(file: GroundTruthFile): string {
  return JSON.stringify(file, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? null : value));
}

/** Parses the file; throws naming `source` when it is not one. */
export function parseGroundTruthFile(text: string, source: string): GroundTruthFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => (value === null ? NaN : value));
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const file = parsed as Partial<GroundTruthFile> | null;
  if (typeof file !== "object" || file === null || file.format !== FORMAT)
    throw new Error(`${source}: expected a "${FORMAT}" file, found format ${JSON.stringify((file as { format?: unknown } | null)?.format ?? null)}`);
  if (!Array.isArray(file.layers)) throw new Error(`${source}: expected a list of layers`);
  return file as GroundTruthFile;
}
