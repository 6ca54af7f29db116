// Matryoshka BatchTopK (Bussmann et al. 2025, "Learning Multi-Level Features with Matryoshka
// SAEs"): BatchTopK codes, and every nested prefix of the dictionary, latents [0, m_p) for the
// widths m_1 < … < m_P = dSae, is trained to reconstruct the input on its own:
//   loss = Σ_p Σ_b ||x̂_p − x||² / B + AuxK,   x̂_p = f[:, :m_p] · W_dec[:m_p] + b_dec
// with the same codes f truncated (as in the paper; SAELens instead re-selects inside each
// prefix). Early latents must work without the later ones, so they stay general, which is
// reported to reduce feature absorption. After training it is a JumpReLU like BatchTopK; any
// prefix of its latents is itself an SAE of that width.
//
// Gradients, with e_p = x̂_p − x, G_p = 2 e_p / B and S_g = Σ_{p ≥ g} G_p (a latent of group g,
// m_{g−1} ≤ j < m_g, is in prefixes g … P):
//   dW_dec[group g] = f_gᵀ · S_g;   ∂/∂f_g = S_g · W_dec[group g]ᵀ;   ∂/∂b_dec (decoder) = Σ_b S_1
import { describeValue, isPositiveInteger } from "../../validate-input.js";
import type { TF, Tensor } from "../../tf-types.js";
import type { ConfigInput, FusedReconstruction, FusedReconstructionInput, Reconstruction, ReconstructionInput, SaeArchitectureModule } from "./contract.js";
import type { KernelWorkspace, WasmBuffer } from "../../wasm/workspace.js";
import { batchtopk, batchTopKCodes, fusedBatchTopK } from "./batchtopk.js";
import { topKFamily, type TopKFamilyConfig } from "./topk-family.js";

export interface MatryoshkaSaeConfig extends TopKFamilyConfig {
  architecture: "matryoshka";
  /** The nested prefixes' widths, strictly increasing, the last dSae, the first at least k. */
  matryoshkaWidths: number[];
}

export type MatryoshkaSaeConfigInput = ConfigInput<MatryoshkaSaeConfig, "kAux" | "auxCoefficient" | "matryoshkaWidths">;

/** At most this many nested prefixes by default. */
const DEFAULT_LEVELS = 4;

/** The default widths: dSae, dSae/2, dSae/4, dSae/8 (rounded down), smallest first, those at least k only. */
export function defaultMatryoshkaWidths(dSae: number, k: number): number[] {
  const widths: number[] = [];
  for (let width = dSae; width >= k && widths.length < DEFAULT_LEVELS; width = Math.floor(width / 2)) widths.unshift(width);
  return widths.length > 0 ? widths : [dSae];
}

function checkWidths({ matryoshkaWidths: widths, dSae, k }: MatryoshkaSaeConfig): string | null {
  if (!Array.isArray(widths) || widths.length === 0) return `matryoshkaWidths must be a non-empty list of prefix widths, found ${describeValue(widths)}`;
  for (const [i, width] of widths.entries()) {
    if (!isPositiveInteger(width)) return `matryoshkaWidths[${i}] must be a positive integer, found ${describeValue(width)}`;
    if (i > 0 && width <= widths[i - 1]) return `matryoshkaWidths must be strictly increasing, found ${widths[i - 1]} then ${width}`;
  }
  if (widths.at(-1) !== dSae) return `the last of matryoshkaWidths must be the dictionary size (${dSae}), found ${widths.at(-1)}`;
  if (widths[0] < k) return `the first of matryoshkaWidths (${widths[0]}) must be at least k (${k}), or that prefix could not hold an input's codes`;
  return null;
}

function reconstruct(tf: TF, { matryoshkaWidths }: MatryoshkaSaeConfig, { codes, W_dec, b_dec, x }: ReconstructionInput): Reconstruction {
  const [batch, dIn] = x.shape;
  const groups: { codes: Tensor; rows: Tensor }[] = [];
  const errors: Tensor[] = [];
  // e_0 = b_dec − x; e_p = e_{p−1} + f_p · W_dec[group p].
  let partial: Tensor = tf.sub(b_dec, x);
  let start = 0;
  for (const end of matryoshkaWidths) {
    const group = { codes: tf.slice(codes, [0, start], [batch, end - start]), rows: tf.slice(W_dec, [start, 0], [end - start, dIn]) };
    partial = tf.add(partial, tf.matMul(group.codes, group.rows));
    groups.push(group);
    errors.push(partial);
    start = end;
  }
  const squares = errors.map((e) => tf.sum(tf.square(e)));
  const suffixes: Tensor[] = [];
  for (let p = errors.length - 1; p >= 0; p--) {
    const gradient = tf.mul(errors[p], 2 / batch);
    suffixes[p] = p === errors.length - 1 ? gradient : tf.add(suffixes[p + 1], gradient);
  }
  const error = errors[errors.length - 1];
  return {
    error,
    squaredError: squares[squares.length - 1],
    penalty: squares.length > 1 ? tf.div(tf.addN(squares.slice(0, -1)), batch) : tf.scalar(0),
    dW_dec: tf.concat(
      groups.map((g, p) => tf.matMul(tf.transpose(g.codes), suffixes[p])),
      0,
    ),
    dCodes: tf.concat(
      groups.map((g, p) => tf.matMul(suffixes[p], tf.transpose(g.rows))),
      1,
    ),
    dDecoderBias: tf.sum(suffixes[0], 0),
    meanError: tf.div(tf.sum(error, 0), batch),
  };
}

/**
 * The fused reconstruction: per prefix a copy of the codes with the other groups' zeroed, so that
 * the sparse kernels (which skip zeros) do each group's products; the copies also serve as the
 * gate, since a kept BatchTopK code is positive.
 */
function fusedReconstruct(workspace: KernelWorkspace, config: MatryoshkaSaeConfig, dIn: number) {
  const { batchSize: batch, dSae, matryoshkaWidths: widths } = config;
  const groupCodes: WasmBuffer[] = widths.map(() => workspace.buffer(batch * dSae));
  const errors: WasmBuffer[] = widths.map(() => workspace.buffer(batch * dIn));
  const running = workspace.buffer(batch * dIn);
  const meanError = workspace.buffer(dIn);
  return ({ kernels, codes, x, W_dec, b_dec, error, dW_dec, db_dec, dCodes }: FusedReconstructionInput): FusedReconstruction => {
    const all = codes.data;
    let start = 0;
    widths.forEach((end, p) => {
      const group = groupCodes[p].data;
      group.fill(0);
      for (let r = 0, row = 0; r < batch; r++, row += dSae) group.set(all.subarray(row + start, row + end), row + start);
      start = end;
    });
    const n = batch * dIn;
    running.data.fill(0);
    kernels.addBias(running.offset, b_dec.offset, batch, dIn);
    // errors[p] = G_p = 2 e_p / B, cumulatively over the groups.
    const squares = widths.map((_, p) => {
      kernels.sparseRowsTimes(groupCodes[p].offset, W_dec.offset, running.offset, batch, dSae, dIn, 1);
      errors[p].data.set(running.data);
      return kernels.scaledError(errors[p].offset, x.offset, n, 2 / batch);
    });
    const last = widths.length - 1;
    error.data.set(errors[last].data);
    kernels.sumRows(errors[last].offset, meanError.offset, batch, dIn);
    kernels.scale(meanError.offset, dIn, 0.5);
    // errors[p] becomes S_p = Σ_{q ≥ p} G_q.
    for (let p = last - 1; p >= 0; p--) kernels.addMasked(errors[p].offset, errors[p + 1].offset, 0, n);
    kernels.sumRows(errors[0].offset, db_dec.offset, batch, dIn);
    widths.forEach((_, p) => {
      kernels.sparseTransposeTimes(groupCodes[p].offset, errors[p].offset, dW_dec.offset, batch, dSae, dIn, p === 0 ? 0 : 1);
      kernels.maskedRowDots(errors[p].offset, W_dec.offset, groupCodes[p].offset, dCodes.offset, batch, dSae, dIn, p === 0 ? 0 : 1);
    });
    const inner = squares.slice(0, last).reduce((sum, s) => sum + s, 0);
    return { squaredError: squares[last], penalty: inner / batch, meanError: meanError.data.slice() };
  };
}

const family = topKFamily<MatryoshkaSaeConfig>();

export const matryoshka: SaeArchitectureModule<MatryoshkaSaeConfig> = {
  ...family,
  name: "matryoshka",
  summary: "BatchTopK codes with every nested prefix of the dictionary trained to reconstruct on its own (Matryoshka, Bussmann et al. 2025)",
  inference: batchtopk.inference,
  withDefaults: (config) => {
    const filled = family.withAuxKDefaults(config);
    return { ...filled, matryoshkaWidths: filled.matryoshkaWidths ?? defaultMatryoshkaWidths(filled.dSae, filled.k) };
  },
  checkSparsity: (config) => family.checkSparsity(config) ?? checkWidths(config),
  tracksThreshold: true,
  trainingCodes: (tf, { k }, { pre }) => batchTopKCodes(tf, k, pre),
  reconstruct,
  fused: (workspace, config, layout) => ({ encode: fusedBatchTopK(config.k), reconstruct: fusedReconstruct(workspace, config, layout.dIn) }),
  cfgFields: (config) => ({ ...family.cfgFields(config), matryoshka_widths: config.matryoshkaWidths }),
  live: {
    meaning: "k, the latents kept per input on average over a batch (up to four nested prefixes, halving from all of the latents, trained to reconstruct)",
    ...family.liveK,
  },
};
