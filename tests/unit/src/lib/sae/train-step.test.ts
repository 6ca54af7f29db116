import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { saeConfig, type SaeConfig, type SaeConfigInput } from "../../../../../src/lib/sae/config.js";
import { parameterLayout, type ParameterLayout } from "../../../../../src/lib/sae/parameters.js";
import { lossGradient, STAT_AUX, STAT_PENALTY, STAT_SQUARED_ERROR, type StepInput } from "../../../../../src/lib/sae/train-step.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { unitDecoderParameters } from "./fixtures.js";

type Tensor = tf.Tensor;
type Tensor1D = tf.Tensor1D;

const dIn = 5;
const dSae = 12;
const batch = 9;

const randomParameters = unitDecoderParameters;

/**
 * The loss written plainly and differentiated by tfjs. What the hand-written gradient treats as
 * constant is computed first and passed in as a constant: the TopK selections, AuxK's residual
 * and normalization (both detached, as in OpenAI's and SAELens' code).
 */
function autodiff(config: SaeConfig, layout: ParameterLayout, theta: Float32Array, input: StepInput): { gradient: Float32Array; loss: number } {
  const x = input.x;
  const parts = (t: Tensor) => ({
    W_enc: tf.reshape(tf.slice(t, 0, layout.bEnc), [dIn, dSae]),
    b_enc: tf.slice(t, layout.bEnc, dSae),
    b_dec: tf.slice(t, layout.bDec, dIn),
    W_dec: tf.reshape(tf.slice(t, layout.wDec, dSae * dIn), [dSae, dIn]),
  });
  const preOf = (t: Tensor) => {
    const { W_enc, b_enc, b_dec } = parts(t);
    return tf.add(tf.matMul(tf.sub(x, b_dec), W_enc), b_enc);
  };
  const constants = tf.tidy(() => {
    const thetaTensor = tf.tensor1d(theta);
    const pre = preOf(thetaTensor);
    const positive = tf.relu(pre);
    let mask: Tensor = tf.onesLike(pre);
    if (config.architecture === "topk") {
      const kth = tf.slice(tf.topk(positive, config.k).values, [0, config.k - 1], [batch, 1]);
      mask = tf.cast(tf.logicalAnd(tf.greaterEqual(positive, kth), tf.greater(positive, 0)), "float32");
    } else if (config.architecture === "batchtopk") {
      const values = tf.topk(tf.reshape(positive, [-1]), config.k * batch).values;
      const kth = tf.slice(values, config.k * batch - 1, 1);
      mask = tf.cast(tf.logicalAnd(tf.greaterEqual(positive, kth), tf.greater(positive, 0)), "float32");
    }
    const codes = tf.mul(positive, mask);
    const { W_dec, b_dec } = parts(thetaTensor);
    const residual = tf.sub(x, tf.add(tf.matMul(codes, W_dec), b_dec));
    const centred = tf.sub(residual, tf.mean(residual, 0));
    const auxScale = tf.div(("auxCoefficient" in config ? config.auxCoefficient : 0) * input.totalVariance, tf.div(tf.sum(tf.square(centred)), batch));
    let auxMask: Tensor = tf.zerosLike(pre);
    if (input.deadBias !== null) {
      const auxPre = tf.add(pre, input.deadBias);
      const kth = tf.slice(tf.topk(auxPre, input.kAux).values, [0, input.kAux - 1], [batch, 1]);
      auxMask = tf.cast(tf.greaterEqual(auxPre, kth), "float32");
    }
    return { mask, residual, auxScale, auxMask };
  });
  const loss = (t: Tensor) => {
    const { W_dec, b_dec } = parts(t);
    const pre = preOf(t);
    let codes: Tensor;
    let sparsity: Tensor = tf.scalar(0);
    switch (config.architecture) {
      case "l1":
        codes = tf.relu(pre);
        sparsity = tf.mul(tf.sum(codes), input.sparsityCoefficient / batch);
        break;
      case "kl": {
        codes = tf.sigmoid(pre);
        const rhoHat = tf.mean(codes, 0);
        const { rho } = config;
        const kl = tf.add(tf.mul(rho, tf.log(tf.div(rho, rhoHat))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))));
        sparsity = tf.mul(tf.sum(kl), input.sparsityCoefficient);
        break;
      }
      default:
        codes = tf.mul(tf.relu(pre), constants.mask);
    }
    const reconstruction = tf.div(tf.sum(tf.square(tf.sub(tf.add(tf.matMul(codes, W_dec), b_dec), x))), batch);
    const miss = tf.sub(tf.matMul(tf.mul(pre, constants.auxMask), W_dec), constants.residual);
    const aux = input.deadBias === null ? tf.scalar(0) : tf.mul(constants.auxScale, tf.div(tf.sum(tf.square(miss)), batch));
    return tf.add(tf.add(reconstruction, sparsity), aux) as tf.Scalar;
  };
  const thetaTensor = tf.tensor1d(theta);
  const { value, grad } = tf.valueAndGrad(loss)(thetaTensor);
  const gradient = grad.dataSync() as Float32Array;
  const lossValue = value.dataSync()[0];
  tf.dispose([value, grad, thetaTensor, constants.mask, constants.residual, constants.auxScale, constants.auxMask]);
  if (config.architecture !== "kl") {
    // The hand-written gradient drops each decoder row's component along the (unit) row.
    for (let j = 0; j < dSae; j++) {
      const offset = layout.wDec + j * dIn;
      let dot = 0;
      for (let i = 0; i < dIn; i++) dot += gradient[offset + i] * theta[offset + i];
      for (let i = 0; i < dIn; i++) gradient[offset + i] -= dot * theta[offset + i];
    }
  }
  return { gradient, loss: lossValue };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-4 * scale, `${what}[${i}]: expected ${expected[i]}, found ${actual[i]}`);
  }
}

describe("lossGradient equals tfjs autodiff of the stated loss", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  const common = { dIn, dSae, batchSize: batch };
  const cases: [string, SaeConfigInput, number[] | null][] = [
    ["l1", { architecture: "l1", ...common, l1Coefficient: 0.7 }, null],
    ["kl", { architecture: "kl", ...common, rho: 0.1, beta: 2 }, null],
    ["topk", { architecture: "topk", ...common, k: 3 }, null],
    ["topk with AuxK over 5 dead latents", { architecture: "topk", ...common, k: 3, kAux: 2 }, [0, 3, 4, 8, 11]],
    ["batchtopk with AuxK", { architecture: "batchtopk", ...common, k: 2, kAux: 3 }, [1, 2, 5, 6]],
  ];
  for (const [label, input, dead] of cases) {
    test(label, () => {
      const config = saeConfig(input);
      const layout = parameterLayout(dIn, dSae);
      const theta = randomParameters(layout, 11);
      const random = mulberry32(5);
      const xValues = Float32Array.from({ length: batch * dIn }, () => gaussian(random));
      const x = tf.tensor2d(xValues, [batch, dIn]);
      const xT = tf.transpose(x) as tf.Tensor2D;
      const deadBias = dead === null ? null : (tf.tensor1d(Float32Array.from({ length: dSae }, (_, j) => (dead.includes(j) ? 0 : -Infinity))) as Tensor1D);
      const kAux = dead === null || !("kAux" in config) ? 0 : Math.min(config.kAux, dead.length);
      const step: StepInput = {
        x,
        xT,
        step: 1,
        learningRate: 1e-3,
        sparsityCoefficient: "l1Coefficient" in config ? config.l1Coefficient : "beta" in config ? config.beta : 0,
        deadBias,
        kAux,
        totalVariance: 3.5,
      };
      const before = tf.memory().numTensors;
      const ours = tf.tidy(() => lossGradient(tf, config, layout, tf.tensor1d(theta), step));
      const gradient = ours.gradient.dataSync();
      const stats = ours.stats.dataSync();
      tf.dispose([ours.gradient, ours.stats]);
      assert.equal(tf.memory().numTensors, before, "lossGradient leaked tensors");
      const expected = autodiff(config, layout, theta, step);
      assertClose(gradient, expected.gradient, "gradient");
      const loss = stats[STAT_SQUARED_ERROR] / batch + stats[STAT_PENALTY] + stats[STAT_AUX];
      assert.ok(Math.abs(loss - expected.loss) <= 1e-5 * Math.abs(expected.loss), `loss: expected ${expected.loss}, found ${loss}`);
      if (dead !== null) assert.ok(stats[STAT_AUX] > 0, "AuxK should contribute to the loss");
      tf.dispose([x, xT, ...(deadBias ? [deadBias] : [])]);
    });
  }
});
