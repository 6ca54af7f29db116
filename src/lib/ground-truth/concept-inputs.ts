// The measured concepts (src/lib/concepts) as the inputs of the ground-truth scores: the
// quantities as continuous concepts (ranked within each class), the counts as yes/no concepts
// ("holes ≥ 1", "endpoints = 2"), which mean more to a unit than a count to correlate with.
import { integerConcepts } from "./binary-concepts.js";
import type { BinaryConcept, ContinuousConcept } from "./types.js";

export const CONTINUOUS_CONCEPTS = ["area", "length", "thickness", "slant", "width", "height"] as const;

/** Counts and the value from which they are lumped together ("holes ≥ 2"). */
export const COUNT_CONCEPTS = [
  { name: "holes", atMost: 2 },
  { name: "endpoints", atMost: 4 },
  { name: "junctions", atMost: 3 },
] as const;

export interface ConceptInputs {
  continuous: ContinuousConcept[];
  binary: BinaryConcept[];
}

/** Every concept column the scores use; throws naming a missing column or one of the wrong length. */
export function conceptInputs(columns: Readonly<Record<string, ArrayLike<number>>>, rows: number, source = "concepts"): ConceptInputs {
  const column = (name: string): Float64Array => {
    const values = columns[name];
    if (values === undefined) throw new Error(`${source}: expected a column "${name}", found only ${Object.keys(columns).join(", ") || "none"}`);
    if (values.length !== rows) throw new Error(`${source}: column "${name}" has ${values.length} values, expected one per image (${rows})`);
    return Float64Array.from(values);
  };
  return {
    continuous: CONTINUOUS_CONCEPTS.map((name) => ({ name, values: column(name) })),
    binary: COUNT_CONCEPTS.flatMap(({ name, atMost }) => integerConcepts({ name, values: column(name) }, { atMost })),
  };
}
