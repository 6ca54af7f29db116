// The inputs every ground-truth measure takes: concepts as plain named columns, one value per
// image, so that this folder does not depend on how concepts are measured (src/lib/concepts/).

/** A measured quantity per image (area, slant, thickness, ...); NaN where it could not be measured. */
export interface ContinuousConcept {
  name: string;
  values: Float64Array;
}

/** A yes/no property per image ("holes ≥ 1"): 1 = the image has it, 0 = it does not. */
export interface BinaryConcept {
  name: string;
  positive: Uint8Array;
}
