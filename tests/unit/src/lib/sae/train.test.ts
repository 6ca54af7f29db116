import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { activeAbove, saeConfig, type SaeConfig, type SaeConfigInput } from "../../../../../src/lib/sae/config.js";
import { encodeActivations, reconstructActivations } from "../../../../../src/lib/sae/encode.js";
import { l0 } from "../../../../../src/lib/sae/metrics.js";
import { HISTORY_POINTS, inputScaleFor, STEPS_PER_YIELD, trainSae, type TrainSaeResult } from "../../../../../src/lib/sae/train.js";
import { recoveredFraction, sparseDictionaryData } from "./fixtures.js";

// 4,096 inputs, each a positive combination (coefficients 0.5–1.5) of 1 to 3 of 32 random unit
// atoms in 16 dimensions; SAEs of 64 latents.
const truth = sparseDictionaryData(7);
const common = { dIn: 16, dSae: 64, batchSize: 64, learningRate: 0.01, warmupSteps: 50, l1WarmupSteps: 200, deadAfterInputs: 4096, seed: 1 } as const;

/**
 * One run per architecture, each given what it needs to find the atoms. Measured on the cpu
 * backend (and the same on wasm): l1 32/32 atoms, kl 24/32, topk 32/32, batchtopk 28/32 at
 * cosine > 0.9; each test asserts a margin below that. KL's sigmoid codes never switch fully
 * off, so its decoder rows stay partly mixed (most unmatched atoms sit at cosine 0.8–0.9).
 */
const runs: { label: string; config: SaeConfigInput; atLeast: number }[] = [
  { label: "l1", config: { architecture: "l1", ...common, steps: 600, l1Coefficient: 2 }, atLeast: 0.9 },
  { label: "kl", config: { architecture: "kl", ...common, steps: 1000, learningRate: 0.03, rho: 0.03, beta: 3 }, atLeast: 0.6 },
  { label: "topk", config: { architecture: "topk", ...common, steps: 600, k: 3 }, atLeast: 0.9 },
  { label: "batchtopk", config: { architecture: "batchtopk", ...common, steps: 700, k: 3 }, atLeast: 0.8 },
];

describe("trainSae on a known sparse dictionary", () => {
  const trained = new Map<string, { config: SaeConfig; result: TrainSaeResult; leaked: number; progress: number[]; yields: number }>();

  before(async () => {
    await tf.setBackend("cpu");
    for (const { label, config: input } of runs) {
      const config = saeConfig(input);
      const progress: number[] = [];
      let yields = 0;
      const tensorsBefore = tf.memory().numTensors;
      const result = await trainSae(tf, truth.data, config, {
        onProgress: (step) => progress.push(step),
        betweenSteps: async () => void yields++,
      });
      trained.set(label, { config, result, leaked: tf.memory().numTensors - tensorsBefore, progress, yields });
    }
  });

  for (const { label, atLeast } of runs) {
    test(`${label} recovers at least ${atLeast * 100}% of the atoms at cosine > 0.9, leaving no tensors`, (t) => {
      const { config, result, leaked } = trained.get(label)!;
      const recovered = recoveredFraction(truth, result.weights.W_dec, config.dSae);
      t.diagnostic(`${label}: ${recovered * 32} of 32 atoms recovered`);
      assert.ok(recovered >= atLeast, `${label} recovered ${recovered * 32} of 32 atoms`);
      assert.equal(leaked, 0, "training leaked tensors");
    });
  }

  test("l1 keeps every decoder row at unit norm", () => {
    const { weights } = trained.get("l1")!.result;
    for (let j = 0; j < weights.dSae; j++) {
      const norm = Math.hypot(...weights.W_dec.subarray(j * weights.dIn, (j + 1) * weights.dIn));
      assert.ok(Math.abs(norm - 1) < 1e-5, `row ${j} has norm ${norm}`);
    }
  });

  test("topk gives every input exactly k active latents", () => {
    const codes = encodeActivations(tf, trained.get("topk")!.result.weights, truth.data);
    for (let r = 0; r < codes.rows; r++) {
      const active = codes.data.subarray(r * codes.cols, (r + 1) * codes.cols).filter((c) => c > 0).length;
      assert.equal(active, 3, `input ${r} has ${active} active latents`);
    }
  });

  test("kl codes lie strictly between 0 and 1", () => {
    const codes = encodeActivations(tf, trained.get("kl")!.result.weights, truth.data);
    const outside = codes.data.filter((c) => !(c > 0 && c < 1));
    assert.equal(outside.length, 0, `codes outside (0, 1): ${outside.slice(0, 5).join(", ")}`);
  });

  test("batchtopk encodes with one learned JumpReLU threshold that keeps about k latents per input", () => {
    const { weights } = trained.get("batchtopk")!.result;
    const threshold = weights.threshold!;
    assert.ok(threshold[0] > 0 && threshold.every((t) => t === threshold[0]), `threshold ${threshold.slice(0, 3)}`);
    const perInput = l0(encodeActivations(tf, weights, truth.data), activeAbove("batchtopk"));
    assert.ok(Math.abs(perInput - 3) < 0.5, `L0 at inference is ${perInput}`);
  });

  test("the history holds at most HISTORY_POINTS points ending at the last step; hooks run on schedule", () => {
    for (const { config, result, progress, yields } of trained.values()) {
      const steps = result.history.map((p) => p.step);
      assert.ok(steps.length <= HISTORY_POINTS + 1 && steps.length >= HISTORY_POINTS / 2, `${steps.length} points`);
      assert.equal(steps.at(-1), config.steps);
      assert.deepEqual(progress, steps);
      assert.equal(yields, Math.floor(config.steps / STEPS_PER_YIELD));
      const first = result.history[0];
      const last = result.history.at(-1)!;
      assert.ok(last.loss < first.loss && last.mse < first.mse, `loss ${first.loss} → ${last.loss}, mse ${first.mse} → ${last.mse}`);
    }
  });
});

describe("trainSae", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  const small = sparseDictionaryData(3, { dIn: 8, atomCount: 12, rows: 512 });
  const quick = (input: Partial<SaeConfigInput> = {}) =>
    saeConfig({
      architecture: "topk",
      dIn: 8,
      dSae: 24,
      k: 2,
      batchSize: 32,
      steps: 60,
      deadAfterInputs: 64,
      resample: { every: 20, sampleSize: 128 },
      ...input,
    } as SaeConfigInput);

  test("is deterministic: the same seed and data give bit-identical weights; another seed does not", async () => {
    for (const architecture of ["topk", "batchtopk", "l1", "kl"] as const) {
      const config = quick({ architecture, l1Coefficient: 1, rho: 0.1, beta: 1 } as Partial<SaeConfigInput>);
      const [a, b, c] = [
        await trainSae(tf, small.data, config),
        await trainSae(tf, small.data, config),
        await trainSae(tf, small.data, { ...config, seed: 2 }),
      ];
      for (const name of ["W_enc", "b_enc", "W_dec", "b_dec"] as const) {
        assert.deepEqual(a.weights[name], b.weights[name], `${architecture} ${name} differs between identical runs`);
        assert.notDeepEqual(a.weights[name], c.weights[name], `${architecture} ${name} ignores the seed`);
      }
      assert.deepEqual(a.history, b.history);
      assert.deepEqual(a.resamples, b.resamples);
    }
  });

  test("mean-norm normalization: the SAE sees inputs of mean norm √dIn, and answers in the inputs' units", async () => {
    const config = quick({ steps: 30 });
    const scaled: ActivationMatrix = { ...small.data, data: small.data.data.map((v) => v * 10) };
    const [scale, scale10] = [inputScaleFor(small.data, "mean-norm"), inputScaleFor(scaled, "mean-norm")];
    assert.ok(Math.abs(scale10 * 10 - scale) < 1e-6 * scale, `input scales ${scale} and ${scale10}`);
    assert.equal(inputScaleFor(small.data, "none"), 1);
    const original = await trainSae(tf, small.data, config);
    const tenfold = await trainSae(tf, scaled, config);
    // Same normalized inputs, so the same SAE: its reconstructions of 10x inputs are 10x.
    const x = reconstructActivations(tf, original.weights, small.data).data;
    const x10 = reconstructActivations(tf, tenfold.weights, scaled).data;
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x10[i] - 10 * x[i]) <= 1e-3 * (1 + Math.abs(10 * x[i])), `value ${i}: ${x10[i]} vs 10 × ${x[i]}`);
    assert.ok(Math.abs(tenfold.history.at(-1)!.mse / original.history.at(-1)!.mse - 100) < 0.1, "mse is reported in the inputs' units");
  });

  test("an abort stops training with the signal's reason and leaves no tensors", async () => {
    const controller = new AbortController();
    const tensorsBefore = tf.memory().numTensors;
    await assert.rejects(
      trainSae(tf, small.data, quick({ steps: 400 }), {
        signal: controller.signal,
        onProgress: (step) => (step >= 4 ? controller.abort(new Error("stopped by the reader")) : undefined),
      }),
      /stopped by the reader/,
    );
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  test("bad configs and data are reported", async () => {
    await assert.rejects(
      trainSae(tf, small.data, { ...quick(), k: 40 } as SaeConfig),
      /^Error: trainSae: k \(40\) must be at most the dictionary size \(24\)$/,
    );
    await assert.rejects(trainSae(tf, small.data, quick({ dIn: 9 })), /config.dIn is 9, but the activations have 8 values per input/);
    await assert.rejects(trainSae(tf, small.data, quick({ batchSize: 1000 })), /batchSize \(1000\) must be at most the number of training inputs \(512\)/);
    const broken = Float32Array.from(small.data.data);
    broken[17] = Number.NaN;
    await assert.rejects(trainSae(tf, { ...small.data, data: broken }, quick()), /expected finite values, found NaN at example 2, unit 1/);
    const constant: ActivationMatrix = { rows: 64, cols: 8, data: new Float32Array(512).fill(1) };
    await assert.rejects(trainSae(tf, constant, quick()), /do not vary over the training set/);
    await assert.rejects(trainSae(tf, { rows: 64, cols: 8, data: new Float32Array(512) }, quick()), /"mean-norm" needs inputs that are not all zero/);
  });
});
