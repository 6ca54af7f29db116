// Which of a layer's sweep SAEs the probes read: one per architecture and basis, the reduced grid's
// (a dictionary of 4x the layer's width, each architecture's sparser setting), which every layer
// of every model has. The baseline's full grid adds sizes and settings the probes leave out.
import type { SweepFile, SweepFileSae } from "../sae/sweep-file.js";
import { REDUCED_MULTIPLE, SPARSITY_SETTINGS } from "../sae/sweep.js";

function hasSetting(sae: SweepFileSae): boolean {
  const setting: Record<string, number> = SPARSITY_SETTINGS[sae.config.architecture][0];
  const config = sae.config as unknown as Record<string, number>;
  // k is clamped to the dictionary size on a narrow layer (sweep.ts).
  return Object.entries(setting).every(([name, value]) => config[name] === (name === "k" ? Math.min(value, config.dSae) : value));
}

export function probedSaes(sweep: Pick<SweepFile, "dLayer" | "saes">): SweepFileSae[] {
  return sweep.saes.filter((sae) => sae.config.dSae === REDUCED_MULTIPLE * sweep.dLayer && hasSetting(sae));
}
