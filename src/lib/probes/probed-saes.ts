// Which of a layer's sweep SAEs the probes read: one per architecture and basis, the reduced grid's
// (a dictionary of 4x the layer's width, each architecture's sparser setting), which every layer
// of every model has. The baseline's full grid adds sizes and settings the probes leave out.
import type { SweepFile, SweepFileSae } from "../sae/sweep-file.js";
import { REDUCED_MULTIPLE, sparsitySettings } from "../sae/sweep.js";
import { architecture } from "../sae/architectures/index.js";

function hasSetting(sae: SweepFileSae): boolean {
  const { config } = sae;
  // The setting as the sweep fitted it to the dictionary (a k no larger than a narrow layer's dSae).
  const setting = architecture(config.architecture).fitSparsity(sparsitySettings(config.architecture)[0], config.dSae);
  return Object.entries(setting).every(([name, value]) => (config as unknown as Record<string, unknown>)[name] === value);
}

export function probedSaes(sweep: Pick<SweepFile, "dLayer" | "saes">): SweepFileSae[] {
  return sweep.saes.filter((sae) => sae.config.dSae === REDUCED_MULTIPLE * sweep.dLayer && hasSetting(sae));
}
