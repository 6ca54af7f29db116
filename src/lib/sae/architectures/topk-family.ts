// What TopK and BatchTopK (and Matryoshka BatchTopK) share: k, OpenAI's AuxK against dead latents
// and its defaults, the cfg.json keys, the sweep's two k and the live trainer's k box.
import type { AuxKConfig, CommonSaeConfig, SaeArchitectureModule } from "./contract.js";
import { checkTopKFamily } from "./checks.js";

export interface TopKFamilyConfig extends CommonSaeConfig, AuxKConfig {
  /** Active latents per input (exactly, for TopK; on average over a batch, for BatchTopK). */
  k: number;
}

/** AuxK's weight in OpenAI's recipe. */
export const AUX_COEFFICIENT = 1 / 32;

type Shared<C extends TopKFamilyConfig & { architecture: string }> = Pick<
  SaeArchitectureModule<C>,
  | "checkSparsity"
  | "activeAbove"
  | "exactZeros"
  | "unitNormDecoder"
  | "sparseCodes"
  | "sparsityCoefficient"
  | "auxK"
  | "sweepSettings"
  | "fitSparsity"
  | "sparsityTag"
  | "targeted"
> & {
  withAuxKDefaults(config: C): C;
  cfgFields(config: C): { k: number; aux_k: number; aux_coefficient: number };
  liveK: { rule(dSae: number): { min: number; max: number; integer: true }; sparsity(value: number): { k: number } };
};

/** The shared part of a TopK-family module (a function, so that each module gets its own typed copy). */
export function topKFamily<C extends TopKFamilyConfig & { architecture: string }>(): Shared<C> {
  return {
    // OpenAI's recipe: kAux = dIn / 2, rounded up, and the AuxK weight 1/32.
    withAuxKDefaults: (config) => ({ ...config, kAux: config.kAux ?? Math.ceil(config.dIn / 2), auxCoefficient: config.auxCoefficient ?? AUX_COEFFICIENT }),
    checkSparsity: (config) => checkTopKFamily(config),
    activeAbove: 0,
    exactZeros: true,
    unitNormDecoder: true,
    sparseCodes: true,
    sparsityCoefficient: () => 0,
    auxK: (config) => (config.auxCoefficient > 0 ? { kAux: config.kAux, auxCoefficient: config.auxCoefficient } : null),
    cfgFields: (config) => ({ k: config.k, aux_k: config.kAux, aux_coefficient: config.auxCoefficient }),
    sweepSettings: [{ k: 4 }, { k: 8 }] as unknown as Shared<C>["sweepSettings"],
    // k cannot exceed the dictionary (a narrow layer at 1x).
    fitSparsity: (setting, dSae) => ({ ...setting, k: Math.min((setting as { k: number }).k, dSae) }),
    sparsityTag: (setting) => `k${(setting as { k: number }).k}`,
    liveK: { rule: (dSae) => ({ min: 1, max: dSae, integer: true }), sparsity: (value) => ({ k: value }) },
    targeted: ({ meanL0 }, dSae) => ({ k: Math.min(meanL0, dSae) }) as Shared<C>["sweepSettings"][0],
  };
}
