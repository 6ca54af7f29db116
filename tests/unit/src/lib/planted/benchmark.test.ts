import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { codeMatrix, describeGenerator, plantFeatures, type PlantedData } from "../../../../../src/lib/planted/generate.js";
import { DEFAULT_PLANTED_SPEC, validatePlantedSpec, type PlantedSpec } from "../../../../../src/lib/planted/spec.js";
import {
  decoderDirections,
  latentLabelScores,
  plantedDictionarySize,
  plantedInputs,
  plantedReading,
  plantedRow,
  plantedRowSteps,
  plantedRunFiles,
  plantedSaeConfig,
  randomBaselineRow,
  saeCodes,
  saeRow,
  trueMeanL0,
  type PlantedRow,
} from "../../../../../src/lib/planted/benchmark.js";
import { decodeSafetensors } from "../../../../../src/lib/sae/safetensors.js";
import { SAE_ARCHITECTURES, saeConfig } from "../../../../../src/lib/sae/config.js";
import { encodeReference } from "../../../../../src/lib/sae/encode.js";
import type { SaeWeights } from "../../../../../src/lib/sae/weights.js";
import { gaussian, mulberry32, permutation } from "../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-6) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

/** A small planted set: 8 dimensions, 16 features, 3,000 samples, no hierarchy. */
const SMALL: PlantedSpec = {
  ...DEFAULT_PLANTED_SPEC,
  d: 8,
  n: 16,
  samples: 3000,
  seed: 5,
  firing: { meanProbability: 0.1, zipfExponent: 0 },
  correlation: 0,
  hierarchy: { parents: 0, childrenPerParent: 0 },
};
const small = plantFeatures(SMALL);

/** The truth with its rows permuted, sign-flipped and rescaled; codes permuted alike (and scaled, so values differ). */
function disguisedTruth(data: PlantedData, seed: number): { decoder: ActivationMatrix; codes: ActivationMatrix; order: Uint32Array } {
  const { n, d } = data.spec;
  const order = permutation(n, mulberry32(seed));
  const decoder = new Float32Array(n * d);
  const codes = new Float32Array(data.rows * n);
  for (let j = 0; j < n; j++) {
    const sign = j % 2 === 0 ? -1 : 1;
    for (let k = 0; k < d; k++) decoder[j * d + k] = sign * (1 + j / 4) * data.directions[order[j] * d + k];
    for (let s = 0; s < data.rows; s++) codes[s * n + j] = 2 * data.codes[s * n + order[j]];
  }
  return { decoder: { rows: n, cols: d, data: decoder }, codes: { rows: data.rows, cols: n, data: codes }, order };
}

function randomDictionary(data: PlantedData, m: number, seed: number): { decoder: ActivationMatrix; codes: ActivationMatrix } {
  const random = mulberry32(seed);
  const decoder = Float32Array.from({ length: m * data.spec.d }, () => gaussian(random));
  // Codes that fire at random, unrelated to the truth.
  const codes = Float32Array.from({ length: data.rows * m }, () => (random() < 0.1 ? random() : 0));
  return { decoder: { rows: m, cols: data.spec.d, data: decoder }, codes: { rows: data.rows, cols: m, data: codes } };
}

describe("plantedRow", () => {
  test("a permuted, sign-flipped, rescaled truth with the true codes scores MCC 1, mean max cos 1, F1 1 and a label-style score of 1", () => {
    const { decoder, codes, order } = disguisedTruth(small, 11);
    const row = plantedRow(small, { architecture: "oracle", decoder, codes });
    close(row.mcc, 1);
    close(row.meanMaxCos, 1);
    close(row.coverage, 1);
    close(row.f1, 1);
    close(row.precision, 1);
    close(row.recall, 1);
    for (let j = 0; j < SMALL.n; j++) assert.equal(row.matching[order[j]], j);
    // Each latent is exactly one feature's detector: AUROC 1, score 2·1 − 1 = 1, won by that feature.
    close(row.labelScore, 1);
    for (let j = 0; j < SMALL.n; j++) assert.equal(row.latentBestFeature[j], order[j]);
    close(row.l0, small.sparseCodes.feature.length / small.rows);
    assert.equal(row.deadFraction, 0);
    assert.equal(row.liveLatents, SMALL.n);
    assert.equal(row.dSae, SMALL.n);
  });

  test("a random decoder with random codes scores a low MCC, F1 and label-style score", () => {
    const { decoder, codes } = randomDictionary(small, SMALL.n, 3);
    const row = plantedRow(small, { architecture: "noise", decoder, codes });
    assert.ok(row.mcc < 0.75, `MCC ${row.mcc}`);
    assert.ok(row.f1 < 0.25, `F1 ${row.f1}`);
    assert.ok(row.labelScore < 0.1, `label-style score ${row.labelScore}`);
    const oracle = plantedRow(small, { architecture: "oracle", ...disguisedTruth(small, 2) });
    assert.ok(oracle.mcc - row.mcc > 0.25);
  });

  test("dead latents count in deadFraction, get NaN label scores and are left out of the mean; activeAbove moves the line", () => {
    const { decoder, codes } = disguisedTruth(small, 4);
    const n = SMALL.n;
    const silenced = Float32Array.from(codes.data);
    for (let s = 0; s < small.rows; s++) for (const j of [0, 5]) silenced[s * n + j] = 0;
    const row = plantedRow(small, { architecture: "two dead", decoder, codes: { ...codes, data: silenced } });
    close(row.deadFraction, 2 / n);
    assert.equal(row.liveLatents, n - 2);
    assert.ok(Number.isNaN(row.latentLabelScores[0]) && Number.isNaN(row.latentLabelScores[5]));
    close(row.labelScore, 1);
    // With a line above every code value, nothing is active.
    const none = plantedRow(small, { architecture: "high line", decoder, codes, activeAbove: 1e6 });
    assert.equal(none.deadFraction, 1);
    assert.equal(none.l0, 0);
    assert.ok(Number.isNaN(none.labelScore));
    assert.equal(none.f1, 0);
  });

  test("the stepwise form yields between pieces and returns the same row", () => {
    const learned = { architecture: "oracle", ...disguisedTruth(small, 9) };
    const steps = plantedRowSteps(small, learned);
    let pauses = 0;
    let next = steps.next();
    while (!next.done) {
      pauses++;
      next = steps.next();
    }
    assert.ok(pauses >= 3, `${pauses} pauses`);
    assert.equal(next.value.mcc, plantedRow(small, learned).mcc);
  });

  test("shape mismatches are refused with a message naming the row", () => {
    const { decoder, codes } = disguisedTruth(small, 1);
    assert.throws(
      () => plantedRow(small, { architecture: "x", decoder: { rows: 16, cols: 7, data: new Float32Array(16 * 7) }, codes }),
      /plantedRow \("x"\): the decoder's rows must have d = 8 values, found 7/,
    );
    assert.throws(
      () => plantedRow(small, { architecture: "x", decoder, codes: { rows: 10, cols: 16, data: new Float32Array(160) } }),
      /expected codes for the 3000 planted samples, found 10 rows/,
    );
    assert.throws(
      () => plantedRow(small, { architecture: "x", decoder, codes: { rows: 3000, cols: 15, data: new Float32Array(3000 * 15) } }),
      /one column per decoder row \(16\), found 15/,
    );
  });

  test("latentLabelScores: a latent equal to one feature's code scores 1 on it; a negated copy scores 0 (one-sided)", () => {
    const n = SMALL.n;
    const codes = new Float32Array(small.rows * 2);
    for (let s = 0; s < small.rows; s++) {
      codes[s * 2] = small.codes[s * n + 3];
      codes[s * 2 + 1] = 1 - small.codes[s * n + 3] * 0.5; // high where feature 3 is silent: AUROC < 0.5 for it
    }
    const { scores, bestFeature } = latentLabelScores(small, { rows: small.rows, cols: 2, data: codes });
    close(scores[0], 1);
    assert.equal(bestFeature[0], 3);
    assert.ok(scores[1] < 0.2, `anti-detector ${scores[1]}`);
  });
});

describe("randomBaselineRow", () => {
  test("a random dictionary of the same width: exactly k codes per sample, no better than chance, and seeded", () => {
    const k = trueMeanL0(small);
    assert.equal(k, Math.max(1, Math.round(small.sparseCodes.feature.length / small.rows)));
    const row = randomBaselineRow(small, 16, 7);
    assert.equal(row.architecture, "random");
    assert.equal(row.dSae, 16);
    assert.ok(row.l0 <= k && row.l0 > k - 0.5, `L0 ${row.l0} with k ${k}`);
    const oracle = plantedRow(small, { architecture: "oracle", ...disguisedTruth(small, 2) });
    assert.ok(row.mcc < oracle.mcc - 0.2, `random MCC ${row.mcc}`);
    assert.ok(row.f1 < 0.5);
    assert.equal(randomBaselineRow(small, 16, 7).mcc, row.mcc);
    assert.notEqual(randomBaselineRow(small, 16, 8).mcc, row.mcc);
    assert.equal(randomBaselineRow(small, 32, 7, 2).dSae, 32);
  });
});

/** A hand-made SAE whose decoder is the truth and whose encoder reads each feature's direction back (a ReLU "oracle" SAE). */
function oracleSae(data: PlantedData, architecture: "l1" | "topk"): SaeWeights {
  const { n, d } = data.spec;
  const W_enc = new Float32Array(d * n);
  for (let i = 0; i < d; i++) for (let j = 0; j < n; j++) W_enc[i * n + j] = data.directions[j * d + i];
  return {
    architecture,
    dIn: d,
    dSae: n,
    ...(architecture === "topk" ? { k: 3 } : {}),
    W_enc,
    b_enc: new Float32Array(n).fill(-0.5),
    W_dec: Float32Array.from(data.directions),
    b_dec: new Float32Array(d),
    inputScale: 2.5,
  };
}

describe("an SAE's row", () => {
  test("decoderDirections are W_dec's rows untouched: the input scale and b_dec change no direction", () => {
    const weights = oracleSae(small, "l1");
    weights.b_dec = Float32Array.from({ length: SMALL.d }, (_, i) => 0.1 * i);
    const directions = decoderDirections(weights);
    assert.equal(directions.data, weights.W_dec);
    assert.deepEqual([directions.rows, directions.cols], [SMALL.n, SMALL.d]);
    const row = saeRow(small, weights);
    close(row.mcc, 1, 1e-5);
    close(row.meanMaxCos, 1, 1e-5);
  });

  test("saeCodes are the reference encoder's codes, row by row", () => {
    const weights = oracleSae(small, "topk");
    const codes = saeCodes(weights, { rows: small.rows, cols: SMALL.d, data: small.activations });
    for (const s of [0, 17, 2999]) {
      const expected = encodeReference(weights, small.activations.subarray(s * SMALL.d, (s + 1) * SMALL.d));
      for (let j = 0; j < SMALL.n; j++) close(codes.data[s * SMALL.n + j], expected[j], 1e-6);
    }
    const row = saeRow(small, weights);
    assert.ok(row.l0 <= 3);
    assert.ok(row.f1 > 0.3, `F1 of a thresholded oracle encoder ${row.f1}`);
  });

  test("plantedSaeConfig: width at least n and a multiple of 4; k from the true L0; ρ from the firing probability; all valid", () => {
    assert.equal(plantedDictionarySize(96), 96);
    assert.equal(plantedDictionarySize(50), 52);
    for (const architecture of SAE_ARCHITECTURES) {
      const config = saeConfig(plantedSaeConfig(small, architecture, 100));
      assert.equal(config.dIn, 8);
      assert.equal(config.dSae, 16);
      assert.equal(config.steps, 100);
      if ("k" in config) assert.equal(config.k, trueMeanL0(small), architecture);
      if (config.architecture === "kl") assert.equal(config.rho, 0.1);
    }
  });
});

describe("plantedRunFiles", () => {
  test("one safetensors with the true directions and each decoder, that decodes to the same numbers, and the generator JSON", () => {
    const a = disguisedTruth(small, 1).decoder;
    const b = randomDictionary(small, 20, 2).decoder;
    const files = plantedRunFiles(small, [
      { architecture: "topk", decoder: a },
      { architecture: "l1", decoder: b },
    ]);
    assert.deepEqual(
      files.map((f) => f.name),
      ["planted-features.safetensors", "planted-generator.json"],
    );
    const { tensors, metadata } = decodeSafetensors(files[0].bytes, "planted-features.safetensors");
    assert.deepEqual(Object.keys(tensors), ["directions", "topk.W_dec", "l1.W_dec"]);
    assert.deepEqual(tensors.directions.shape, [16, 8]);
    assert.deepEqual(Array.from(tensors.directions.data), Array.from(small.directions));
    assert.deepEqual(tensors["topk.W_dec"].shape, [16, 8]);
    assert.deepEqual(Array.from(tensors["topk.W_dec"].data), Array.from(a.data));
    assert.deepEqual(tensors["l1.W_dec"].shape, [20, 8]);
    assert.deepEqual(Array.from(tensors["l1.W_dec"].data), Array.from(b.data));
    assert.deepEqual(JSON.parse(metadata.spec), small.spec);
    const generator = JSON.parse(new TextDecoder().decode(files[1].bytes));
    assert.deepEqual(generator, JSON.parse(JSON.stringify(describeGenerator(small.spec))));
    assert.throws(
      () =>
        plantedRunFiles(small, [
          { architecture: "l1", decoder: a },
          { architecture: "l1", decoder: b },
        ]),
      /two runs are called "l1"/,
    );
    assert.throws(
      () => plantedRunFiles(small, [{ architecture: "l1", decoder: { rows: 2, cols: 3, data: new Float32Array(6) } }]),
      /l1.W_dec must have d = 8 columns, found 3/,
    );
  });
});

describe("plantedInputs", () => {
  const good = { d: "24", n: "96", meanProbability: "0.05", correlation: "0.3", steps: "10000", architectures: "l1, kl, topk, batchtopk" };
  test("good values give the default spec with the page's fields and the SAEs to train", () => {
    const result = plantedInputs(good);
    assert.ok(!("error" in result));
    assert.deepEqual(result.spec, (validatePlantedSpec(DEFAULT_PLANTED_SPEC) as { spec: PlantedSpec }).spec);
    assert.equal(result.steps, 10000);
    assert.deepEqual(result.architectures, ["l1", "kl", "topk", "batchtopk"]);
    assert.equal(result.dSae, 96);
    const two = plantedInputs({ ...good, architectures: "TopK l1" });
    assert.ok(!("error" in two));
    assert.deepEqual(two.architectures, ["topk", "l1"]);
  });

  test("a small n shrinks the hierarchy instead of failing on it", () => {
    const result = plantedInputs({ ...good, d: 4, n: 10 });
    assert.ok(!("error" in result));
    assert.deepEqual(result.spec.hierarchy, { parents: 2, childrenPerParent: 3 });
    const tiny = plantedInputs({ ...good, d: 2, n: 3 });
    assert.ok(!("error" in tiny));
    assert.deepEqual(tiny.spec.hierarchy, { parents: 0, childrenPerParent: 0 });
  });

  test("bad values get validatePlantedSpec's message, or the page's own for steps and architectures", () => {
    const error = (patch: Partial<typeof good> | Record<string, unknown>) => {
      const result = plantedInputs({ ...good, ...patch });
      return "error" in result ? result.error : null;
    };
    assert.equal(error({ d: "0" }), "d must be a whole number ≥ 2, found 0");
    assert.equal(error({ n: "many" }), 'n must be a whole number between 24 and 1024, found "many"');
    assert.equal(error({ n: "12" }), "n must be a whole number ≥ 24 (n ≥ d), found 12");
    assert.equal(error({ meanProbability: "1.5" }), "firing.meanProbability must be a probability in (0, 1], found 1.5");
    assert.equal(error({ correlation: "1" }), "correlation must be a number in [0, 1), found 1");
    assert.equal(error({ steps: "0" }), "SAE steps must be a whole number from 1 to 100000; found 0.");
    assert.equal(error({ steps: "" }), "SAE steps must be a whole number from 1 to 100000; found nothing.");
    assert.equal(error({ architectures: "topk, jumprelu" }), `Architectures must be a list of ${SAE_ARCHITECTURES.join(", ")}; found "jumprelu".`);
    assert.equal(error({ architectures: " , " }), `Architectures must be a list of ${SAE_ARCHITECTURES.join(", ")}; found nothing.`);
    assert.equal(error({ architectures: "l1 l1" }), 'Architectures lists "l1" twice.');
  });
});

describe("plantedReading", () => {
  const row = (architecture: string, mcc: number, labelScore: number, deadFraction = 0): PlantedRow =>
    ({ architecture, mcc, labelScore, deadFraction, meanMaxCos: mcc, f1: 0.5 }) as PlantedRow;
  const control = row("random", 0.5, 0.2);

  test("names the best architecture and its margin over the control, from the numbers", () => {
    const text = plantedReading([row("l1", 0.8, 0.7), row("topk", 0.9, 0.5), row("kl", 0.51, 0.6, 0.5)], control);
    assert.match(text, /^topk recovers the planted features best \(MCC 0\.90, 0\.10 ahead of l1\), 0\.40 above the random dictionary's 0\.50\./);
    assert.match(text, /kl does no better than the random dictionary\./);
    assert.match(text, /picks l1, not the same architecture as MCC/);
    assert.match(text, /Many latents died in kl \(50%\)/);
  });

  test('says "within noise" when differences are tiny', () => {
    const text = plantedReading([row("l1", 0.905, 0.6), row("topk", 0.9, 0.61)], control);
    assert.match(text, /^l1, topk recover the planted features equally well within noise \(MCC 0\.91, 0\.90\)/);
    assert.match(text, /picks the same architectures as MCC/);
    assert.match(plantedReading([row("topk", 0.51, 0.2)], control), /^topk reaches an MCC of 0\.51, within noise of the random dictionary's 0\.50\.$/);
  });
});

describe("on a default-size planted set", () => {
  test("the oracle scores 1 and the random control sits well below it (n 96 in d 24)", () => {
    const data = plantFeatures({ ...DEFAULT_PLANTED_SPEC, samples: 4000 });
    const oracle = plantedRow(data, { architecture: "oracle", decoder: { rows: 96, cols: 24, data: data.directions }, codes: codeMatrix(data) });
    close(oracle.mcc, 1);
    close(oracle.f1, 1);
    const control = randomBaselineRow(data, 96, 1);
    assert.ok(control.mcc < 0.7, `control MCC ${control.mcc}`);
    assert.ok(control.labelScore < oracle.labelScore - 0.3);
  });
});
