// A trained SAE as plain typed arrays, in SAELens' layout and names, so that encode.ts, the
// safetensors export and the page all read one description. The weights work on normalized
// inputs (x · inputScale); encode and reconstruct apply and undo the scale themselves.
import { describeValue, isPositiveInteger } from "../validate-input.js";
import { SAE_ARCHITECTURES, type SaeArchitecture } from "./config.js";
import { architecture as architectureNamed, isSaeArchitecture } from "./architectures/index.js";

export interface SaeWeights {
  architecture: SaeArchitecture;
  dIn: number;
  dSae: number;
  /** Active latents per input, for the topk inference function only (architectures/inference.ts). */
  k?: number;
  /** [dIn, dSae] row-major: W_enc[i * dSae + j] weighs input i into latent j. */
  W_enc: Float32Array;
  /** [dSae] */
  b_enc: Float32Array;
  /** [dSae, dIn] row-major: row j is latent j's direction. */
  W_dec: Float32Array;
  /** [dIn], subtracted from the input before encoding and added back after decoding. */
  b_dec: Float32Array;
  /** [dSae] thresholds on the pre-activation, for the jumprelu inference function only. */
  threshold?: Float32Array;
  /** The SAE reads x · inputScale and its reconstruction is divided by it (1 without normalization). */
  inputScale: number;
}

/** Throws one message naming the first field that does not fit the others. */
export function checkSaeWeights(weights: SaeWeights, what = "SAE weights"): void {
  if (weights === null || typeof weights !== "object") throw new Error(`${what}: expected an object, found ${describeValue(weights)}`);
  const { architecture, dIn, dSae, k, inputScale } = weights;
  if (!isSaeArchitecture(architecture)) {
    throw new Error(`${what}: architecture must be one of ${SAE_ARCHITECTURES.join(", ")}, found ${describeValue(architecture)}`);
  }
  if (!isPositiveInteger(dIn)) throw new Error(`${what}: dIn must be a positive integer, found ${describeValue(dIn)}`);
  if (!isPositiveInteger(dSae)) throw new Error(`${what}: dSae must be a positive integer, found ${describeValue(dSae)}`);
  const sizes = { W_enc: dIn * dSae, b_enc: dSae, W_dec: dSae * dIn, b_dec: dIn } as const;
  for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    checkArray(weights[name], name, size, what);
  }
  const { needs } = architectureNamed(architecture).inference;
  if (needs === "k") {
    if (!isPositiveInteger(k) || k > dSae)
      throw new Error(`${what}: a ${architecture} SAE needs k, an integer from 1 to dSae (${dSae}), found ${describeValue(k)}`);
  }
  if (needs === "threshold") {
    if (weights.threshold === undefined) throw new Error(`${what}: a ${architecture} SAE needs its JumpReLU threshold (dSae values), found none`);
    checkArray(weights.threshold, "threshold", dSae, what);
  }
  if (!(typeof inputScale === "number" && Number.isFinite(inputScale) && inputScale > 0)) {
    throw new Error(`${what}: inputScale must be a finite number > 0, found ${describeValue(inputScale)}`);
  }
}

function checkArray(array: unknown, name: string, size: number, what: string): void {
  if (!(array instanceof Float32Array)) {
    const found = array === null || array === undefined ? String(array) : ((array as object).constructor?.name ?? typeof array);
    throw new Error(`${what}: ${name} must be a Float32Array, found ${found}`);
  }
  if (array.length !== size) throw new Error(`${what}: ${name} must hold ${size} values, found ${array.length}`);
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw new Error(`${what}: ${name}[${i}] must be finite, found ${array[i]}`);
  }
}
