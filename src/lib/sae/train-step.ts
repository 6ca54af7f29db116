// One training step of any SAE architecture as tensor math: forward pass, hand-written gradients
// and Adam, in one tf.tidy; the architecture's module gives the codes and, where it changes them,
// the reconstruction terms. The gradients are written out (tests check them against tfjs'
// autodiff) because that takes fewer kernels than autodiff and keeps every matMul untransposed:
// tfjs-wasm runs transposed operands several times slower. Everything is in normalized units.
//
// Notation (B inputs): xc = x − b_dec, pre = xc·W_enc + b_enc, f = code(pre), x̂ = f·W_dec + b_dec,
// e = x̂ − x. Loss = Σ||e||²/B + the architecture's terms + AuxK term.
//   ∂/∂x̂ = 2e/B;  dW_dec = fᵀ·(2e/B);  ∂/∂f = (2e/B)·W_decᵀ + ∂sparsity/∂f;  dpre = ∂/∂f ⊙ code'(pre)
//   dW_enc = xcᵀ·dpre;  db_enc = Σ_b dpre;  db_dec = Σ_b 2e/B − W_enc·db_enc (b_dec enters twice)
// xᵀ comes from the caller, fᵀ and W_decᵀ from transposes, so that no matMul is transposed.
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import type { SaeConfig } from "./config.js";
import { architecture } from "./architectures/index.js";
import type { AuxKConfig, Reconstruction } from "./architectures/contract.js";
import { atLeast } from "./architectures/selection.js";
import type { ParameterLayout } from "./parameters.js";

type Tensor1D = import("@tensorflow/tfjs").Tensor1D;

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** The flat parameters and Adam's two moment estimates of them (a type, not an interface, so tf.tidy accepts it). */
export type TrainingState = {
  theta: Tensor1D;
  m: Tensor1D;
  v: Tensor1D;
};

export interface StepInput {
  /** [B, dIn], normalized. */
  x: Tensor2D;
  /** x transposed, [dIn, B]: built on the JS side for free, it saves a transposed matMul. */
  xT: Tensor2D;
  /** Adam's step count, from 1. */
  step: number;
  learningRate: number;
  /** The architecture's sparsity coefficient after warm-up (0 where sparsity is a count). */
  sparsityCoefficient: number;
  /** With AuxK: 0 at dead latents and −Infinity elsewhere, or null when AuxK is off this step (no dead latents). */
  deadBias: Tensor1D | null;
  /** Dead latents AuxK uses this step: min(kAux, dead count). */
  kAux: number;
  /** Σ_d Var(x_d) of the normalized training set; AuxK's normalization (see auxK). */
  totalVariance: number;
}

/** What one step reports, read back in one transfer: see STAT_* offsets. */
export const STAT_SQUARED_ERROR = 0;
/** The architecture's own loss terms: a sparsity penalty, or Matryoshka's inner prefixes. */
export const STAT_PENALTY = 1;
export const STAT_AUX = 2;
/** The smallest positive code kept, for a JumpReLU threshold estimate (Infinity when none). */
export const STAT_MIN_KEPT = 3;
/** dSae values from here: how many inputs of the batch each latent fired on. */
export const STAT_FIRES = 4;

/**
 * OpenAI's AuxK: the kAux dead latents with the largest pre-activations (taken as they are, not
 * through ReLU, so that latents whose pre-activations are all negative still get a gradient)
 * reconstruct the residual x − x̂ on their own, through the decoder without bias. OpenAI weighs
 * the normalized MSE of that, Σ||a·W_dec − r||² / Σ||r − mean r||², by auxCoefficient against the
 * normalized MSE of the main reconstruction. Our main loss is not normalized, so the AuxK term is
 * multiplied by the training set's total variance, which keeps OpenAI's ratio of the two terms.
 */
function auxK(tf: TF, config: AuxKConfig, pre: Tensor, reconstruction: Reconstruction, W_dec: Tensor, input: StepInput) {
  const { error, squaredError, meanError } = reconstruction;
  const batch = pre.shape[0];
  const auxPre = tf.add(pre, input.deadBias as Tensor1D);
  const { values } = tf.topk(auxPre, input.kAux);
  const mask = atLeast(tf, auxPre, tf.slice(values, [0, input.kAux - 1], [batch, 1]));
  const aux = tf.mul(pre, mask);
  // Σ||r − mean r||² / B from what the main loss already has: Σ||e||²/B − ||Σe/B||².
  const residualVariance = tf.sub(tf.div(squaredError, batch), tf.sum(tf.square(meanError)));
  const scale = tf.div(config.auxCoefficient * input.totalVariance, tf.maximum(residualVariance, 1e-12 * input.totalVariance));
  // a·W_dec − r, with r = x − x̂ = −e.
  const miss = tf.add(tf.matMul(aux, W_dec), error);
  const loss = tf.mul(scale, tf.div(tf.sum(tf.square(miss)), batch));
  const missGradient = tf.mul(miss, tf.mul(scale, 2 / batch));
  return { loss, aux, mask, missGradient };
}

/** The reconstruction term of most architectures, Σ||x̂ − x||²/B of the whole dictionary, and its gradients. */
function wholeDictionary(
  tf: TF,
  _config: SaeConfig,
  { codes, W_dec, b_dec, x }: { codes: Tensor; W_dec: Tensor2D; b_dec: Tensor; x: Tensor2D },
): Reconstruction {
  const batch = x.shape[0];
  const error = tf.sub(tf.fused.matMul({ a: codes as Tensor2D, b: W_dec, bias: b_dec }), x);
  const reconstructionGradient = tf.mul(error, 2 / batch);
  const dDecoderBias = tf.sum(reconstructionGradient, 0);
  return {
    error,
    squaredError: tf.sum(tf.square(error)),
    penalty: tf.scalar(0),
    dW_dec: tf.matMul(tf.transpose(codes), reconstructionGradient),
    dCodes: tf.matMul(reconstructionGradient, tf.transpose(W_dec)),
    dDecoderBias,
    // Σe/B is half of Σ 2e/B.
    meanError: tf.mul(dDecoderBias, 0.5),
  };
}

/**
 * The loss's gradient with respect to the flat parameters (for unit-norm decoders, without each
 * decoder row's component along itself), and the step's statistics. Call inside tf.tidy.
 */
export function lossGradient(tf: TF, config: SaeConfig, layout: ParameterLayout, theta: Tensor1D, input: StepInput): { gradient: Tensor1D; stats: Tensor1D } {
  const { dIn, dSae, bEnc, bDec, wDec } = layout;
  const { x, xT } = input;
  const batch = x.shape[0];
  const W_enc = tf.reshape(tf.slice(theta, 0, bEnc), [dIn, dSae]) as Tensor2D;
  const b_enc = tf.slice(theta, bEnc, dSae);
  const b_dec = tf.slice(theta, bDec, dIn);
  const W_dec = tf.reshape(tf.slice(theta, wDec, dSae * dIn), [dSae, dIn]) as Tensor2D;

  const module = architecture(config.architecture);
  const xc = tf.sub(x, b_dec) as Tensor2D;
  const pre = tf.fused.matMul({ a: xc, b: W_enc, bias: b_enc }) as Tensor2D;
  const { codes, gate, fired, sparsity, sparsityGradient, minKept } = module.trainingCodes(tf, config, { pre, sparsityCoefficient: input.sparsityCoefficient });
  const reconstruction = (module.reconstruct ?? wholeDictionary)(tf, config, { codes, W_dec, b_dec, x });
  let dW_dec = reconstruction.dW_dec;
  let dCodes = reconstruction.dCodes;
  if (sparsityGradient !== null) dCodes = tf.add(dCodes, sparsityGradient);
  let dPre = tf.mul(dCodes, gate);

  let auxLoss: Tensor = tf.scalar(0);
  const aux = module.auxK(config);
  if (aux !== null && input.deadBias !== null) {
    const term = auxK(tf, aux, pre, reconstruction, W_dec, input);
    auxLoss = term.loss;
    dW_dec = tf.add(dW_dec, tf.matMul(tf.transpose(term.aux), term.missGradient));
    dPre = tf.add(dPre, tf.mul(tf.matMul(term.missGradient, tf.transpose(W_dec)), term.mask));
  }

  const xcT = tf.sub(xT, tf.reshape(b_dec, [dIn, 1]));
  const dW_enc = tf.matMul(xcT, dPre);
  const db_enc = tf.sum(dPre, 0);
  const db_dec = tf.sub(reconstruction.dDecoderBias, tf.reshape(tf.matMul(W_enc, tf.reshape(db_enc, [dSae, 1])), [dIn]));
  if (module.unitNormDecoder) {
    // Rows stay unit norm: drop each row's gradient component along the row itself (OpenAI).
    dW_dec = tf.sub(dW_dec, tf.mul(tf.sum(tf.mul(dW_dec, W_dec), 1, true), W_dec));
  }
  const gradient = tf.concat([tf.reshape(dW_enc, [-1]), db_enc, db_dec, tf.reshape(dW_dec, [-1])]) as Tensor1D;
  const stats = tf.concat([tf.stack([reconstruction.squaredError, tf.add(sparsity, reconstruction.penalty), auxLoss, minKept]), tf.sum(fired, 0)]) as Tensor1D;
  return { gradient, stats };
}

/** Adam, with the bias corrections folded into the step size and ε (the same update), then unit-norm decoder rows again. */
function adamUpdate(tf: TF, config: SaeConfig, layout: ParameterLayout, state: TrainingState, gradient: Tensor1D, input: StepInput): TrainingState {
  const { dIn, dSae, wDec } = layout;
  const { beta1, beta2, epsilon } = ADAM;
  const m = tf.add(state.m, tf.mul(tf.sub(gradient, state.m), 1 - beta1)) as Tensor1D;
  const v = tf.add(state.v, tf.mul(tf.sub(tf.square(gradient), state.v), 1 - beta2)) as Tensor1D;
  const correction = Math.sqrt(1 - beta2 ** input.step);
  const stepSize = (input.learningRate * correction) / (1 - beta1 ** input.step);
  let theta = tf.sub(state.theta, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon * correction)), stepSize)) as Tensor1D;
  if (architecture(config.architecture).unitNormDecoder) {
    const rows = tf.reshape(tf.slice(theta, wDec, dSae * dIn), [dSae, dIn]);
    const unit = tf.div(rows, tf.sqrt(tf.sum(tf.square(rows), 1, true)));
    theta = tf.concat([tf.slice(theta, 0, wDec), tf.reshape(unit, [-1])]) as Tensor1D;
  }
  return { theta, m, v };
}

/** One Adam step on every parameter; returns the new state and the step's statistics (not yet read back). */
export function trainingStep(
  tf: TF,
  config: SaeConfig,
  layout: ParameterLayout,
  state: TrainingState,
  input: StepInput,
): { state: TrainingState; stats: Tensor1D } {
  return tf.tidy(() => {
    const { gradient, stats } = lossGradient(tf, config, layout, state.theta, input);
    return { state: adamUpdate(tf, config, layout, state, gradient, input), stats };
  });
}
