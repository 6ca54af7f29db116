// Whether an SAE's training failed, from what the sweep recorded: such an SAE is not a result
// about features, so pages mark it and leave it out of their readings. Three signs, any one
// enough: it reconstructs worse than predicting the mean (variance explained below 0), every
// latent is dead, or its loss ended higher than it began (the optimization diverged).
import type { SweepFileSae } from "./sweep-file.js";

/** A sentence saying why the SAE failed, or null when nothing says it did. */
export function trainingFailure(sae: Pick<SweepFileSae, "metrics" | "history" | "config">): string | null {
  const { fractionVarianceExplained: fve, dead } = sae.metrics;
  if (dead.length >= sae.config.dSae) return `all ${sae.config.dSae} latents are dead`;
  if (!(fve >= 0)) return `variance explained ${Number.isFinite(fve) ? fve.toFixed(2) : String(fve)}, worse than predicting the mean`;
  const first = sae.history[0]?.loss;
  const last = sae.history.at(-1)?.loss;
  if (first !== undefined && last !== undefined && !(last <= first)) return `its training loss rose from ${first.toPrecision(3)} to ${last.toPrecision(3)}`;
  return null;
}
