// The k·B largest codes of a whole batch (Bussmann et al. 2024, as SAELens trains it), AuxK too;
// after training a JumpReLU with one threshold, estimated in training from each batch's smallest
// kept code, so that an input's codes no longer depend on its batch.
import type { ConfigInput, FusedArchitecture, FusedCodesInput, SaeArchitectureModule, TrainingCodes } from "./contract.js";
import type { TF, Tensor2D } from "../../tf-types.js";
import { JUMP_RELU } from "./inference.js";
import { batchTopKMask, SMALLEST_POSITIVE } from "./selection.js";
import { topKFamily, type TopKFamilyConfig } from "./topk-family.js";

export interface BatchTopKSaeConfig extends TopKFamilyConfig {
  architecture: "batchtopk";
}

export type BatchTopKSaeConfigInput = ConfigInput<BatchTopKSaeConfig, "kAux" | "auxCoefficient">;

/** BatchTopK's training codes on tfjs (Matryoshka BatchTopK's too). */
export function batchTopKCodes(tf: TF, k: number, pre: Tensor2D): TrainingCodes {
  const positive = tf.relu(pre);
  const { mask, minKept } = batchTopKMask(tf, positive, k);
  return { codes: tf.mul(positive, mask), gate: mask, fired: mask, sparsity: tf.scalar(0), sparsityGradient: null, minKept };
}

/** BatchTopK's fused encoder (Matryoshka BatchTopK's too). */
export function fusedBatchTopK(k: number): FusedArchitecture["encode"] {
  return ({ kernels, pre, codes, gate, fires, scratch, batch, dSae }: FusedCodesInput) => {
    const n = batch * dSae;
    kernels.reluWithGate(pre.offset, codes.offset, gate.offset, n);
    const kth = kernels.kthLargest(codes.offset, scratch.offset, n, k * batch);
    const smallestPositive = kth > 0 ? kth : kernels.smallestPositive(codes.offset, n);
    kernels.keepAtLeast(codes.offset, gate.offset, fires.offset, batch, dSae, Math.max(kth, SMALLEST_POSITIVE));
    // The smallest positive code among the k·B largest (batchTopKMask's minKept).
    return { sparsity: 0, minKept: smallestPositive };
  };
}

const family = topKFamily<BatchTopKSaeConfig>();

export const batchtopk: SaeArchitectureModule<BatchTopKSaeConfig> = {
  ...family,
  name: "batchtopk",
  summary: "the k·batch largest codes of a batch, AuxK too, used at inference as a per-latent threshold, as SAELens saves it (Bussmann et al.)",
  inference: JUMP_RELU,
  withDefaults: family.withAuxKDefaults,
  tracksThreshold: true,
  trainingCodes: (tf, { k }, { pre }) => batchTopKCodes(tf, k, pre),
  fused: (_workspace, { k }) => ({ encode: fusedBatchTopK(k) }),
  live: { meaning: "k, the latents kept per input on average over a batch", ...family.liveK },
};
