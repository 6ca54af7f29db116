// Sigmoid codes with a KL target-rate penalty (Stanford CS294A notes):
//   loss = mean ||x − x̂||² + β Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the batch's mean code of latent j.
import { describeValue } from "../../validate-input.js";
import { isFiniteNonNegative } from "./checks.js";
import type { CommonSaeConfig, ConfigInput, SaeArchitectureModule } from "./contract.js";
import { SIGMOID } from "./inference.js";

export interface KlSaeConfig extends CommonSaeConfig {
  architecture: "kl";
  /** The target mean activation of every latent, in (0, 1); CS294A suggests 0.05. */
  rho: number;
  /** Weight of Σ_j KL(rho ‖ rho_hat_j). */
  beta: number;
}

export type KlSaeConfigInput = ConfigInput<KlSaeConfig>;

/** rho_hat is clamped this far inside (0, 1), where the logarithms stay finite. */
const RHO_HAT_MARGIN = 1e-6;

/** β of every KL SAE the build and the page train; the page's box sets ρ. */
const SWEEP_BETA = 0.1;

export const kl: SaeArchitectureModule<KlSaeConfig> = {
  name: "kl",
  summary: "sigmoid codes whose mean firing rate is pulled to a target ρ by a KL penalty, which only makes sense for codes in (0, 1) (CS294A)",
  inference: SIGMOID,
  withDefaults: (config) => config,
  checkSparsity(config) {
    if (!(typeof config.rho === "number" && config.rho > 0 && config.rho < 1))
      return `rho (the target firing rate) must be strictly between 0 and 1, found ${describeValue(config.rho)}`;
    if (!isFiniteNonNegative(config.beta)) return `beta (the KL penalty's weight) must be a finite number >= 0, found ${describeValue(config.beta)}`;
    return null;
  },
  // A sigmoid code is never exactly 0: 0.5 is where the pre-activation crosses 0, the place a ReLU starts to fire.
  activeAbove: 0.5,
  exactZeros: false,
  // Sigmoid codes are bounded by 1, so the decoder's norms carry the scale.
  unitNormDecoder: false,
  sparseCodes: false,
  tracksThreshold: false,
  sparsityCoefficient: (config) => config.beta,
  auxK: () => null,
  trainingCodes(tf, { rho }, { pre, sparsityCoefficient: beta }) {
    const batch = pre.shape[0];
    const codes = tf.sigmoid(pre);
    const gate = tf.mul(codes, tf.sub(1, codes));
    const rhoHat = tf.clipByValue(tf.div(tf.sum(codes, 0), batch), RHO_HAT_MARGIN, 1 - RHO_HAT_MARGIN);
    const oneMinusRhoHat = tf.sub(1, rhoHat);
    // β Σ_j [ρ log(ρ/ρ̂_j) + (1−ρ) log((1−ρ)/(1−ρ̂_j))]
    const divergence = tf.sum(tf.add(tf.mul(rho, tf.log(tf.div(rho, rhoHat))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, oneMinusRhoHat)))));
    // ∂/∂f_bj = (β/B) (−ρ/ρ̂_j + (1−ρ)/(1−ρ̂_j)), the same for every input b.
    const sparsityGradient = tf.mul(tf.sub(tf.div(1 - rho, oneMinusRhoHat), tf.div(rho, rhoHat)), beta / batch);
    return { codes, gate, fired: tf.step(pre), sparsity: tf.mul(divergence, beta), sparsityGradient, minKept: tf.scalar(Infinity) };
  },
  fused: (_workspace, { rho }) => ({
    encode({ kernels, pre, codes, gate, fires, sparsityGradient, batch, dSae, sparsityCoefficient }) {
      kernels.sigmoidWithGate(pre.offset, codes.offset, gate.offset, fires.offset, batch, dSae);
      // ρ̂_j, then ∂sparsity/∂f_bj = (β/B)(−ρ/ρ̂_j + (1−ρ)/(1−ρ̂_j)) in its place.
      kernels.sumRows(codes.offset, sparsityGradient.offset, batch, dSae);
      const term = sparsityGradient.data;
      let divergence = 0;
      const scale = sparsityCoefficient / batch;
      for (let j = 0; j < dSae; j++) {
        const r = Math.min(Math.max(Math.fround(term[j] / batch), RHO_HAT_MARGIN), 1 - RHO_HAT_MARGIN);
        divergence += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
        term[j] = ((1 - rho) / (1 - r) - rho / r) * scale;
      }
      return { sparsity: divergence * sparsityCoefficient, minKept: Infinity };
    },
  }),
  cfgFields: (config) => ({ rho: config.rho, beta: config.beta }),
  sweepSettings: [
    { rho: 0.05, beta: SWEEP_BETA },
    { rho: 0.2, beta: 0.3 },
  ],
  fitSparsity: (setting) => setting,
  sparsityTag: (setting) => `rho${setting.rho}-beta${setting.beta}`,
  live: {
    meaning: `the target rate ρ (β = ${SWEEP_BETA})`,
    rule: () => ({ min: 0, max: 1 }),
    // ρ is a firing rate of sigmoid codes: the range's ends are not rates a sigmoid reaches.
    refuse: (value) => (value === 0 || value === 1 ? `must be strictly between 0 and 1 (a sigmoid code's firing rate); found ${value}.` : null),
    sparsity: (value) => ({ rho: value, beta: SWEEP_BETA }),
  },
  targeted: ({ firingRate }) => ({ rho: Math.min(firingRate, 0.95), beta: SWEEP_BETA }),
};
