// Yes/no concepts made from measured ones ("holes ≥ 1", "endpoints = 2"), for the measures
// that need a binary target (AUROC, F1). Counts such as holes, endpoints and junctions mean
// more as "has a hole" than as a quantity to correlate with.
import type { BinaryConcept, ContinuousConcept } from "./types.js";

/**
 * The binary concept "predicate(value)" of every image. NaN values (not measured) are passed to
 * the predicate like any other; the comparisons `≥`, `=` are false for NaN, so such images
 * count as negatives.
 */
export function thresholdConcept(name: string, values: ArrayLike<number>, predicate: (value: number) => boolean): BinaryConcept {
  const positive = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) positive[i] = predicate(values[i]) ? 1 : 0;
  return { name, positive };
}

export interface IntegerConceptOptions {
  /** Lump values at or above this into one top value ("holes ≥ 2" rather than "= 2", "= 3"). */
  atMost?: number;
}

/**
 * Binary concepts from an integer-valued concept: "name = v" for each observed value v but the
 * largest, and "name ≥ v" for each but the smallest (for the largest, "≥ v" is also "= v", so it
 * is given once). Both "= 0" and "≥ 1" are made: a concept and its complement are different
 * explanations for a unit that must be active on the images that have it. Values 0, 1, 2 give
 * "= 0", "= 1", "≥ 1", "≥ 2". NaN values are negatives of every concept; other non-integers throw.
 */
export function integerConcepts(concept: ContinuousConcept, options: IntegerConceptOptions = {}): BinaryConcept[] {
  const { name, values } = concept;
  const atMost = options.atMost ?? Infinity;
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) throw new Error(`integerConcepts(${name}): expected integers, found ${v} at ${i}`);
    seen.add(Math.min(v, atMost));
  }
  const distinct = [...seen].sort((a, b) => a - b);
  const top = distinct[distinct.length - 1];
  const clip = (v: number) => Math.min(v, atMost);
  const out: BinaryConcept[] = [];
  for (const v of distinct) {
    if (v !== top) out.push(thresholdConcept(`${name} = ${v}`, values, (x) => clip(x) === v));
  }
  for (const v of distinct.slice(1)) out.push(thresholdConcept(`${name} ≥ ${v}`, values, (x) => x >= v));
  return out;
}
