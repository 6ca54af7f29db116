// data/ground-truth/<model>.json: every scored basis of every layer the build scores, as JSON.
// JSON has no NaN, and the scores have many (dead units, signed bases' firing rates): they are
// written as null and read back as NaN; no field of the file is legitimately null.
import type { BasisReport, ScoreSetup } from "./basis-report.js";

const FORMAT = "ground-truth-v1";

export interface GroundTruthLayer {
  layer: string;
  /** Units of the layer. */
  width: number;
  /** The neurons, PCA, ICA, then each SAE of the layer's 4x grid. */
  bases: BasisReport[];
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
  if (typeof file !== "object" || file === null || file.format !== FORMAT) throw new Error(`${source}: expected a "${FORMAT}" file, found format ${JSON.stringify((file as { format?: unknown } | null)?.format ?? null)}`);
  if (!Array.isArray(file.layers)) throw new Error(`${source}: expected a list of layers`);
  return file as GroundTruthFile;
}
