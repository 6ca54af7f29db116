// The k largest ReLU codes of each input (OpenAI, Gao et al. 2024), AuxK against dead latents.
import type { ConfigInput, SaeArchitectureModule } from "./contract.js";
import { TOPK } from "./inference.js";
import { SMALLEST_POSITIVE, topKMask } from "./selection.js";
import { topKFamily, type TopKFamilyConfig } from "./topk-family.js";

export interface TopKSaeConfig extends TopKFamilyConfig {
  architecture: "topk";
}

export type TopKSaeConfigInput = ConfigInput<TopKSaeConfig, "kAux" | "auxCoefficient">;

const family = topKFamily<TopKSaeConfig>();

export const topk: SaeArchitectureModule<TopKSaeConfig> = {
  ...family,
  name: "topk",
  summary: "the k largest codes of each input, with the AuxK loss for dead latents (OpenAI)",
  inference: TOPK,
  withDefaults: family.withAuxKDefaults,
  tracksThreshold: false,
  trainingCodes(tf, { k }, { pre }) {
    const positive = tf.relu(pre);
    const mask = topKMask(tf, positive, k);
    return { codes: tf.mul(positive, mask), gate: mask, fired: mask, sparsity: tf.scalar(0), sparsityGradient: null, minKept: tf.scalar(Infinity) };
  },
  fused: (_workspace, { k }) => ({
    encode({ kernels, pre, codes, gate, fires, batch, dSae }) {
      kernels.reluWithGate(pre.offset, codes.offset, gate.offset, batch * dSae);
      kernels.keepTopKPerRow(codes.offset, gate.offset, fires.offset, batch, dSae, k, SMALLEST_POSITIVE);
      return { sparsity: 0, minKept: Infinity };
    },
  }),
  live: { meaning: "k, the latents kept per input", ...family.liveK },
};
