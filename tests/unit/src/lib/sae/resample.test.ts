import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { mulberry32 } from "../../../../../src/lib/random.js";
import { saeConfig } from "../../../../../src/lib/sae/config.js";
import { encodeReference } from "../../../../../src/lib/sae/encode.js";
import { latentEntries, parameterLayout, weightsFromParameters } from "../../../../../src/lib/sae/parameters.js";
import { resampleDeadLatents, REVIVED_ENCODER_NORM, type HostParameters } from "../../../../../src/lib/sae/resample.js";
import { trainSae } from "../../../../../src/lib/sae/train.js";
import { sparseDictionaryData } from "./fixtures.js";

const dIn = 4;
const dSae = 6;
const layout = parameterLayout(dIn, dSae);
const config = saeConfig({ architecture: "l1", dIn, dSae, l1Coefficient: 1 });
const inputScale = 2;

/** Parameters whose latents 1 and 4 can never fire (encoder bias −100); Adam's moments all 0.5. */
function parametersWithDeadLatents(): HostParameters {
  const theta = Float32Array.from({ length: layout.size }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
  theta[layout.bEnc + 1] = -100;
  theta[layout.bEnc + 4] = -100;
  return { theta, m: new Float32Array(layout.size).fill(0.5), v: new Float32Array(layout.size).fill(0.5) };
}

const inputs: ActivationMatrix = { rows: 5, cols: dIn, data: Float32Array.from({ length: 20 }, (_, i) => Math.sin(i + 1)) };

describe("resampling dead latents", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("points each dead latent at an input, as Towards Monosemanticity says, and revives it", () => {
    const parameters = parametersWithDeadLatents();
    const before = { theta: Float32Array.from(parameters.theta), m: Float32Array.from(parameters.m) };
    const revived = resampleDeadLatents(tf, parameters, [1, 4], {
      layout,
      config,
      data: inputs,
      inputScale,
      threshold: 0,
      sampleSize: 100,
      random: mulberry32(1),
    });
    assert.deepEqual(revived, [1, 4]);
    const { theta, m, v } = parameters;
    // The living latents' mean encoder norm, taken before any change.
    const encoderNorm = (t: Float32Array, j: number) => Math.hypot(...Array.from({ length: dIn }, (_, i) => t[i * dSae + j]));
    const alive = [0, 2, 3, 5];
    const meanAlive = alive.reduce((sum, j) => sum + encoderNorm(before.theta, j), 0) / alive.length;
    const resampledEntries = new Set([...latentEntries(layout, 1), ...latentEntries(layout, 4)]);
    const chosen: number[] = [];
    for (const j of revived) {
      const row = theta.subarray(layout.wDec + j * dIn, layout.wDec + (j + 1) * dIn);
      assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-6, `decoder row ${j} is not unit norm`);
      // The row is the direction of some input, scaled and centred on b_dec.
      const match = [0, 1, 2, 3, 4].find((r) => {
        const centred = Array.from({ length: dIn }, (_, i) => inputs.data[r * dIn + i] * inputScale - theta[layout.bDec + i]);
        const norm = Math.hypot(...centred);
        return centred.every((c, i) => Math.abs(c / norm - row[i]) < 1e-6);
      });
      assert.notEqual(match, undefined, `decoder row ${j} is no input's direction`);
      chosen.push(match!);
      for (let i = 0; i < dIn; i++) assert.ok(Math.abs(theta[i * dSae + j] - row[i] * REVIVED_ENCODER_NORM * meanAlive) < 1e-6, `encoder column ${j}`);
      assert.equal(theta[layout.bEnc + j], 0);
      // It fires on the input it was pointed at: its pre-activation there is 0.2 × mean norm × ||x·s − b_dec|| > 0.
      const codes = encodeReference(weightsFromParameters(theta, layout, config, inputScale, 0), inputs.data.subarray(match! * dIn, (match! + 1) * dIn));
      assert.ok(codes[j] > 0, `latent ${j} still does not fire`);
    }
    assert.notEqual(chosen[0], chosen[1], "two latents drew the same input");
    for (let i = 0; i < layout.size; i++) {
      if (resampledEntries.has(i)) assert.deepEqual([m[i], v[i]], [0, 0], `Adam's moments at entry ${i} were not reset`);
      else {
        assert.equal(theta[i], before.theta[i], `entry ${i} of another latent changed`);
        assert.equal(m[i], before.m[i], `Adam's moment at entry ${i} changed`);
      }
    }
  });

  test("draws only inputs the SAE reconstructs badly: an input with zero error is never chosen", () => {
    // Every latent dead, so the reconstruction is b_dec / s for every input: inputs equal to it have
    // no error, and only two inputs are left to draw from.
    const parameters = parametersWithDeadLatents();
    for (let j = 0; j < dSae; j++) parameters.theta[layout.bEnc + j] = -100;
    const centre = Array.from({ length: dIn }, (_, i) => parameters.theta[layout.bDec + i] / inputScale);
    const rows = [centre, [1, 0, 0, 0], centre, [0, 2, 0, 0], centre];
    const data: ActivationMatrix = { rows: 5, cols: dIn, data: Float32Array.from(rows.flat()) };
    const revived = resampleDeadLatents(tf, parameters, [0, 1, 2, 3, 4, 5], {
      layout,
      config,
      data,
      inputScale,
      threshold: 0,
      sampleSize: 100,
      random: mulberry32(2),
    });
    assert.deepEqual(revived, [0, 1], "only as many latents as inputs with an error");
    const directions = revived.map((j) => Array.from(parameters.theta.subarray(layout.wDec + j * dIn, layout.wDec + (j + 1) * dIn)));
    const expected = [1, 3].map((r) => {
      const centred = rows[r].map((x, i) => x * inputScale - parameters.theta[layout.bDec + i]);
      const norm = Math.hypot(...centred);
      return centred.map((c) => c / norm);
    });
    const same = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 1e-6);
    assert.ok(
      (same(directions[0], expected[0]) && same(directions[1], expected[1])) || (same(directions[0], expected[1]) && same(directions[1], expected[0])),
      "not the two inputs with an error",
    );
  });

  test("in training, resampled latents stop counting as dead, and the events are recorded", async () => {
    // TopK without AuxK, with more latents than the data needs: latents die, and resampling (due
    // at steps 50, 100 and 150; the history has a point at every step up to 200) brings them back.
    const truth = sparseDictionaryData(5, { dIn: 8, atomCount: 8, rows: 1024 });
    const result = await trainSae(
      tf,
      truth.data,
      saeConfig({
        architecture: "topk",
        dIn: 8,
        dSae: 32,
        k: 2,
        auxCoefficient: 0,
        batchSize: 32,
        steps: 200,
        learningRate: 0.01,
        deadAfterInputs: 256,
        resample: { every: 50, sampleSize: 256 },
      }),
    );
    // Measured: nothing is dead yet at step 50; 3 latents are resampled at 100 and 5 at 150.
    assert.deepEqual(
      result.resamples.map((event) => event.step),
      [100, 150],
    );
    for (const { step, latents } of result.resamples) {
      assert.ok(latents.length > 0, `nothing resampled at step ${step}`);
      const before = result.history.find((p) => p.step === step - 1)!.deadFraction;
      const after = result.history.find((p) => p.step === step)!.deadFraction;
      assert.ok(after < before, `dead fraction ${before} → ${after} at step ${step}`);
    }
  });
});
