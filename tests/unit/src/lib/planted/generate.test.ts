import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PlantedSpec } from "../../../../../src/lib/planted/spec.js";
import { DEFAULT_PLANTED_SPEC } from "../../../../../src/lib/planted/spec.js";
import type { PlantedData } from "../../../../../src/lib/planted/generate.js";
import { describeGenerator, plantDirections, plantFeatures } from "../../../../../src/lib/planted/generate.js";
import { featureStructure } from "../../../../../src/lib/planted/structure.js";

const close = (actual: number, expected: number, tol: number, what = "") =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected} ± ${tol}, found ${actual}`);

// Small but with every part switched on: Zipf rates (some clamped near 1), three parents with three
// children each, correlated groups, lognormal magnitudes.
const small: PlantedSpec = {
  d: 8,
  n: 24,
  samples: 100_000,
  seed: 1,
  firing: { meanProbability: 0.1, zipfExponent: 1 },
  magnitude: { mean: 2, sd: 0.5 },
  correlation: 0.6,
  hierarchy: { parents: 3, childrenPerParent: 3 },
  noise: 0,
};

const fires = (data: PlantedData, s: number, i: number) => data.codes[s * data.spec.n + i] > 0;

function firingCounts(data: PlantedData): Float64Array {
  const counts = new Float64Array(data.spec.n);
  for (let s = 0; s < data.rows; s++) for (let i = 0; i < data.spec.n; i++) if (fires(data, s, i)) counts[i]++;
  return counts;
}

/** Mean over pairs of free features of P(both fire) / (p_i p_j), pairs within one copula group or across groups. */
function coFiringRatio(data: PlantedData, sameGroup: boolean): number {
  const { n } = data.spec;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (data.parentOf[i] >= 0 || data.parentOf[j] >= 0 || (data.groupOf[i] === data.groupOf[j]) !== sameGroup) continue;
      let both = 0;
      for (let s = 0; s < data.rows; s++) if (fires(data, s, i) && fires(data, s, j)) both++;
      sum += both / data.rows / (data.firingProbabilities[i] * data.firingProbabilities[j]);
      pairs++;
    }
  }
  return sum / pairs;
}

describe("featureStructure", () => {
  test("the marginals average to meanProbability, follow the Zipf weights and stay ≤ 1", () => {
    const s = featureStructure({ ...small, firing: { meanProbability: 0.3, zipfExponent: 1.5 } });
    const mean = s.firingProbabilities.reduce((a, b) => a + b, 0) / small.n;
    close(mean, 0.3, 1e-12, "mean marginal");
    assert.ok(s.conditionalProbabilities.every((q) => q > 0 && q <= 1));
    assert.equal(s.conditionalProbabilities[0], 1, "feature 0's share would exceed 1 and is clamped");
    for (let i = 1; i < small.n; i++) {
      const unclamped = s.conditionalProbabilities[i] < 1;
      if (unclamped) close(s.conditionalProbabilities[i], s.scale * Math.pow(i + 1, -1.5), 1e-15, `q_${i}`);
    }
    const all = featureStructure({ ...small, firing: { meanProbability: 1 } });
    assert.ok(
      all.firingProbabilities.every((p) => p === 1),
      "a mean of 1 means every feature always fires",
    );
  });

  test("layout: parent k's children follow the parents; copula groups never straddle blocks", () => {
    const s = featureStructure(small);
    assert.deepEqual(Array.from(s.parentOf.slice(0, 13)), [-1, -1, -1, 0, 0, 0, 1, 1, 1, 2, 2, 2, -1]);
    for (let i = 0; i < small.n; i++) {
      const parent = s.parentOf[i];
      if (parent >= 0) {
        assert.notEqual(s.groupOf[i], s.groupOf[parent], "a child never shares its parent's latent");
        close(s.firingProbabilities[i], s.conditionalProbabilities[parent] * s.conditionalProbabilities[i], 1e-15);
      }
    }
    // Blocks [0, 3), [3, 12), [12, 24) in groups of up to 4: {0,1,2} {3..6} {7..10} {11} {12..15} {16..19} {20..23}.
    assert.deepEqual(Array.from(s.groupStart), [0, 3, 7, 11, 12, 16, 20, 24]);
  });
});

describe("plantFeatures", () => {
  const data = plantFeatures(small);
  const uncorrelated = plantFeatures({ ...small, correlation: 0 });

  test("directions are unit-norm rows of the declared shape", () => {
    assert.equal(data.directions.length, small.n * small.d);
    for (let i = 0; i < small.n; i++) {
      let norm = 0;
      for (let k = 0; k < small.d; k++) norm += data.directions[i * small.d + k] ** 2;
      close(Math.sqrt(norm), 1, 1e-6, `‖direction ${i}‖`);
    }
    assert.deepEqual(data.directions, plantDirections(small.n, small.d, small.seed));
  });

  test("empirical firing rates are within 3 standard errors of the stated probabilities, with and without correlation", () => {
    // Rows are independent, so rate_i has standard error sqrt(p(1 − p) / N) whatever the correlation.
    // 24 features at 3 SE each: a correct generator fails this for a given seed about 6% of the time
    // (1 − 0.9973^24); the seed is fixed, so the outcome is too. The chi-square sum backs it up.
    for (const planted of [data, uncorrelated]) {
      const counts = firingCounts(planted);
      let chiSquare = 0;
      for (let i = 0; i < small.n; i++) {
        const p = planted.firingProbabilities[i];
        const se = Math.sqrt((p * (1 - p)) / planted.rows);
        const rate = counts[i] / planted.rows;
        assert.ok(Math.abs(rate - p) <= 3 * se, `feature ${i}: rate ${rate}, p ${p}, 3 SE ${3 * se} (correlation ${planted.spec.correlation})`);
        chiSquare += ((rate - p) / se) ** 2;
      }
      // χ² with 24 degrees of freedom: its 99.9th percentile is 51.2.
      assert.ok(chiSquare < 51.2, `χ² = ${chiSquare}`);
    }
  });

  test("a child never fires without its parent", () => {
    let childFirings = 0;
    for (const planted of [data, uncorrelated]) {
      for (let s = 0; s < planted.rows; s++) {
        for (let i = 0; i < small.n; i++) {
          const parent = planted.parentOf[i];
          if (parent < 0 || !fires(planted, s, i)) continue;
          childFirings++;
          assert.ok(fires(planted, s, parent), `sample ${s}: child ${i} fired without parent ${parent}`);
        }
      }
    }
    assert.ok(childFirings > 10_000, `children fired ${childFirings} times`);
  });

  test("correlation raises co-firing within a group and leaves pairs across groups independent", () => {
    const within0 = coFiringRatio(uncorrelated, true);
    const within = coFiringRatio(data, true);
    close(within0, 1, 0.1, "P(both)/(p_i p_j) within groups at correlation 0:");
    assert.ok(within > 2, `within groups at correlation 0.6: ${within}`);
    close(coFiringRatio(data, false), 1, 0.1, "across groups at correlation 0.6:");
  });

  test("magnitudes are positive, lognormal with the stated mean and sd", () => {
    const { value } = data.sparseCodes;
    assert.ok(value.every((v) => v > 0));
    const mean = value.reduce((a, b) => a + b, 0) / value.length;
    const sd = Math.sqrt(value.reduce((a, v) => a + (v - mean) ** 2, 0) / value.length);
    close(mean, 2, 0.01, "magnitude mean");
    close(sd, 0.5, 0.01, "magnitude sd");
    const constant = plantFeatures({ ...small, samples: 1000, magnitude: { mean: 3, sd: 0 } });
    assert.ok(constant.sparseCodes.value.every((v) => v === 3));
  });

  test("sparse and dense codes agree; activations = codes · directions, plus noise of the stated sd", () => {
    const { n, d } = small;
    const { rowStart, feature, value } = data.sparseCodes;
    let nonzero = 0;
    for (let k = 0; k < data.codes.length; k++) if (data.codes[k] !== 0) nonzero++;
    assert.equal(nonzero, feature.length);
    for (let s = 0; s < 200; s++) {
      for (let e = rowStart[s]; e < rowStart[s + 1]; e++) {
        assert.equal(data.codes[s * n + feature[e]], value[e]);
        if (e > rowStart[s]) assert.ok(feature[e] > feature[e - 1], "features increase within a row");
      }
      for (let k = 0; k < d; k++) {
        let expected = 0;
        for (let i = 0; i < n; i++) expected += data.codes[s * n + i] * data.directions[i * d + k];
        close(data.activations[s * d + k], expected, 1e-4, `activation [${s}, ${k}]`);
      }
    }
    assert.equal(data.rows, small.samples);
    assert.equal(data.cols, d);
    const noisy = plantFeatures({ ...small, samples: 20_000, noise: 0.3 });
    const clean = plantFeatures({ ...small, samples: 20_000, noise: 0 });
    assert.deepEqual(noisy.codes, clean.codes, "noise has its own random stream");
    let sum = 0;
    let squares = 0;
    for (let k = 0; k < noisy.activations.length; k++) {
      const e = noisy.activations[k] - clean.activations[k];
      sum += e;
      squares += e * e;
    }
    const count = noisy.activations.length;
    close(sum / count, 0, 0.01, "noise mean");
    close(Math.sqrt(squares / count - (sum / count) ** 2), 0.3, 0.005, "noise sd");
  });

  test("deterministic for a seed, different for another", () => {
    const spec = { ...small, samples: 5000 };
    const a = plantFeatures(spec);
    const b = plantFeatures(spec);
    assert.deepEqual(a.activations, b.activations);
    assert.deepEqual(a.codes, b.codes);
    assert.deepEqual(a.directions, b.directions);
    const c = plantFeatures({ ...spec, seed: 2 });
    assert.notDeepEqual(c.directions, a.directions);
    assert.notDeepEqual(c.codes, a.codes);
  });

  test("validates its spec, and the default spec generates the expected L0", () => {
    assert.throws(() => plantFeatures({ ...small, d: 0 }), /planted spec: d must be a whole number ≥ 2, found 0/);
    const planted = plantFeatures(DEFAULT_PLANTED_SPEC);
    const l0 = planted.sparseCodes.feature.length / planted.rows;
    close(l0, DEFAULT_PLANTED_SPEC.n * DEFAULT_PLANTED_SPEC.firing.meanProbability, 0.1, "L0");
  });
});

describe("describeGenerator", () => {
  test("is plain JSON carrying the spec, the formulas and the same probabilities the generator samples", () => {
    const description = describeGenerator(small);
    assert.deepEqual(JSON.parse(JSON.stringify(description)), description);
    assert.deepEqual(description.spec, small);
    const data = plantFeatures({ ...small, samples: 10 });
    assert.deepEqual(description.derived.firingProbabilities, Array.from(data.firingProbabilities));
    assert.deepEqual(description.derived.parentOf, Array.from(data.parentOf));
    close(description.derived.expectedL0, small.n * 0.1, 1e-9, "expected L0");
    for (const key of ["directions", "firing", "hierarchy", "correlation", "magnitude", "noise", "activations", "randomness"] as const) {
      assert.ok(description.definitions[key].length > 20, `definitions.${key}`);
    }
  });
});
