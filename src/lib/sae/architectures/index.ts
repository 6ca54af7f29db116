// The registry of SAE architectures: one module each (contract.ts says what a module provides).
// Adding an architecture is one module and one line here.
import type { SaeArchitectureModule } from "./contract.js";
import { l1, type L1SaeConfig, type L1SaeConfigInput } from "./l1.js";
import { kl, type KlSaeConfig, type KlSaeConfigInput } from "./kl.js";
import { topk, type TopKSaeConfig, type TopKSaeConfigInput } from "./topk.js";
import { batchtopk, type BatchTopKSaeConfig, type BatchTopKSaeConfigInput } from "./batchtopk.js";
import { matryoshka, type MatryoshkaSaeConfig, type MatryoshkaSaeConfigInput } from "./matryoshka.js";

const MODULES = [l1, kl, topk, batchtopk, matryoshka] as const;

export type SaeConfig = L1SaeConfig | KlSaeConfig | TopKSaeConfig | BatchTopKSaeConfig | MatryoshkaSaeConfig;
/** A config with the settings that have a sensible default left out. */
export type SaeConfigInput = L1SaeConfigInput | KlSaeConfigInput | TopKSaeConfigInput | BatchTopKSaeConfigInput | MatryoshkaSaeConfigInput;
export type SaeArchitecture = SaeConfig["architecture"];

/** Every architecture's name, in the order the pages list them. */
export const SAE_ARCHITECTURES: readonly SaeArchitecture[] = MODULES.map((m) => m.name);

/** The TopK-family default the pages start from. */
export const DEFAULT_LIVE_ARCHITECTURE: SaeArchitecture = topk.name;

export const isSaeArchitecture = (name: unknown): name is SaeArchitecture => SAE_ARCHITECTURES.includes(name as SaeArchitecture);

/** The module of an architecture (typed for any config: each module only ever sees configs of its own name). */
export function architecture(name: SaeArchitecture): SaeArchitectureModule<SaeConfig> {
  const found = MODULES.find((m) => m.name === name);
  if (!found) throw new Error(`unknown SAE architecture ${JSON.stringify(name)}; expected one of ${SAE_ARCHITECTURES.join(", ")}`);
  return found as unknown as SaeArchitectureModule<SaeConfig>;
}
