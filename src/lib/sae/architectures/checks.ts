// Value checks the architectures' config validation shares.
import { describeValue, isPositiveInteger } from "../../validate-input.js";
import type { AuxKConfig } from "./contract.js";

export const isFiniteNonNegative = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** k and AuxK's settings of a TopK-family config, or the first bad one as a sentence. */
export function checkTopKFamily(config: AuxKConfig & { k: number; dSae: number }): string | null {
  if (!isPositiveInteger(config.k)) return `k (active latents per input) must be a positive integer, found ${describeValue(config.k)}`;
  if (config.k > config.dSae) return `k (${config.k}) must be at most the dictionary size (${config.dSae})`;
  if (!isPositiveInteger(config.kAux)) return `kAux (dead latents in the AuxK loss) must be a positive integer, found ${describeValue(config.kAux)}`;
  if (config.kAux > config.dSae) return `kAux (${config.kAux}) must be at most the dictionary size (${config.dSae})`;
  if (!isFiniteNonNegative(config.auxCoefficient)) return `auxCoefficient must be a finite number >= 0, found ${describeValue(config.auxCoefficient)}`;
  return null;
}
