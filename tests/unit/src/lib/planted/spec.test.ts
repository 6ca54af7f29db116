import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_PLANTED_SPEC, MAX_CODE_ENTRIES, validatePlantedSpec } from "../../../../../src/lib/planted/spec.js";

/** The default spec with some top-level fields replaced (raw: anything may be a string or wrong). */
const withFields = (fields: Record<string, unknown>): unknown => ({ ...DEFAULT_PLANTED_SPEC, ...fields });
const errorOf = (raw: unknown): string => {
  const result = validatePlantedSpec(raw);
  assert.ok("error" in result, `expected an error, got ${JSON.stringify(result)}`);
  return result.error;
};

describe("validatePlantedSpec", () => {
  test("the default spec is valid and comes back unchanged", () => {
    assert.deepEqual(validatePlantedSpec(DEFAULT_PLANTED_SPEC), { spec: DEFAULT_PLANTED_SPEC });
  });

  test('the messages of the brief: d = 0, a probability above 1, n = "abc"', () => {
    assert.equal(errorOf(withFields({ d: 0 })), "d must be a whole number ≥ 2, found 0");
    assert.equal(
      errorOf(withFields({ firing: { meanProbability: 1.5, zipfExponent: 0 } })),
      "firing.meanProbability must be a probability in (0, 1], found 1.5",
    );
    assert.equal(errorOf(withFields({ n: "abc" })), 'n must be a whole number between 24 and 1024, found "abc"');
  });

  test("numbers typed as text are parsed strictly", () => {
    const result = validatePlantedSpec(withFields({ d: " 16 ", n: "64", samples: "1e4", noise: "0.5", firing: { meanProbability: ".1" } }));
    assert.ok("spec" in result, JSON.stringify(result));
    assert.equal(result.spec.d, 16);
    assert.equal(result.spec.n, 64);
    assert.equal(result.spec.samples, 10_000);
    assert.equal(result.spec.noise, 0.5);
    assert.equal(result.spec.firing.meanProbability, 0.1);
    assert.equal(result.spec.firing.zipfExponent, 0, "zipfExponent is optional and defaults to 0");
    assert.equal(errorOf(withFields({ d: "12abc" })), 'd must be a whole number between 2 and 128, found "12abc"');
    assert.equal(errorOf(withFields({ d: "" })), "d must be a whole number between 2 and 128, found nothing");
    assert.equal(errorOf(withFields({ d: "0x10" })), 'd must be a whole number between 2 and 128, found "0x10"');
    assert.equal(errorOf(withFields({ d: 2.5 })), "d must be a whole number between 2 and 128, found 2.5");
    assert.equal(errorOf(withFields({ noise: "1,5" })), 'noise must be a number in [0, 1000], found "1,5"');
    assert.equal(errorOf(withFields({ correlation: true })), "correlation must be a number in [0, 1), found true");
  });

  test("the bounds: 2 ≤ d ≤ 128, d ≤ n ≤ 1024, samples ≤ 200,000 and samples × n capped, the hierarchy within n", () => {
    assert.equal(errorOf(withFields({ d: 129 })), "d must be a whole number ≤ 128, found 129");
    assert.equal(errorOf(withFields({ n: 16 })), "n must be a whole number ≥ 24 (n ≥ d), found 16");
    assert.equal(errorOf(withFields({ n: 1025 })), "n must be a whole number ≤ 1024, found 1025");
    assert.equal(errorOf(withFields({ samples: 200_001 })), "samples must be a whole number ≤ 200000, found 200001");
    assert.equal(errorOf(withFields({ samples: 0 })), "samples must be a whole number ≥ 1, found 0");
    assert.match(
      errorOf(withFields({ samples: 200_000, n: 1024 })),
      new RegExp(`^samples × n must be at most ${MAX_CODE_ENTRIES} .*200000 × 1024 = 204800000$`),
    );
    assert.equal(
      errorOf(withFields({ hierarchy: { parents: 8, childrenPerParent: 12 } })),
      "hierarchy must fit within n: parents × (1 + childrenPerParent) = 8 × 13 = 104 features, but n is 96",
    );
    const exact = validatePlantedSpec(withFields({ hierarchy: { parents: 8, childrenPerParent: 11 } }));
    assert.ok("spec" in exact, "8 × 12 = 96 features fit exactly");
    assert.equal(errorOf(withFields({ correlation: 1 })), "correlation must be a number in [0, 1), found 1");
    assert.equal(errorOf(withFields({ firing: { meanProbability: 0 } })), "firing.meanProbability must be a probability in (0, 1], found 0");
    assert.ok("spec" in validatePlantedSpec(withFields({ firing: { meanProbability: 1 } })));
    assert.equal(errorOf(withFields({ magnitude: { mean: 0, sd: 1 } })), "magnitude.mean must be a number in [0.001, 1000], found 0");
    assert.equal(errorOf(withFields({ magnitude: { mean: 1, sd: -1 } })), "magnitude.sd must be a number in [0, 1000], found -1");
    assert.equal(errorOf(withFields({ seed: -1 })), "seed must be a whole number ≥ 0, found -1");
    assert.equal(errorOf(withFields({ firing: { meanProbability: 0.1, zipfExponent: 5 } })), "firing.zipfExponent must be a number in [0, 4], found 5");
  });

  test("missing, misspelled and malformed fields are named", () => {
    const { noise: _noise, ...withoutNoise } = DEFAULT_PLANTED_SPEC;
    assert.equal(errorOf(withoutNoise), "noise must be a number in [0, 1000], found nothing");
    assert.equal(
      errorOf(withFields({ nosie: 0.1 })),
      "nosie is not a field of spec (expected { d, n, samples, seed, firing, magnitude, correlation, hierarchy, noise })",
    );
    assert.equal(
      errorOf(withFields({ firing: { meanProbabilty: 0.1 } })),
      "firing.meanProbabilty is not a field of firing (expected { meanProbability, zipfExponent? })",
    );
    assert.equal(errorOf(withFields({ hierarchy: 3 })), "hierarchy must be an object { parents, childrenPerParent }, found 3");
    assert.equal(errorOf(null), "spec must be an object { d, n, samples, seed, firing, magnitude, correlation, hierarchy, noise }, found nothing");
  });
});
