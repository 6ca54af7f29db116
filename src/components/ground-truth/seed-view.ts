// The seed study of a scored layer: each SAE the probes read, trained 5 times, as mean ± sd of
// its metrics and scores, how alike its decoders are across seeds, and a reading that states a
// difference only where it exceeds the seeds' noise (seed-spread.ts).
import type { GroundTruthLayer, SeedStudy } from "../../lib/ground-truth/report-file.js";
import { formatSpread, seedDifference, seedSpread, type SeedSpread } from "../../lib/ground-truth/seed-spread.js";
import { setTestId } from "../chart-helpers.js";

const spreadOf = (study: SeedStudy, pick: (run: SeedStudy["runs"][number]) => number) => seedSpread(study.runs.filter((r) => !r.failure).map(pick));

export function seedRows(layer: GroundTruthLayer): Record<string, unknown>[] {
  return layer.seeds.map((s) => {
    const failed = s.runs.filter((r) => r.failure);
    return {
      SAE: s.id,
      Seeds: s.runs.map((r) => r.seed).join(", "),
      "Variance explained": formatSpread(spreadOf(s, (r) => r.fractionVarianceExplained)),
      L0: formatSpread(spreadOf(s, (r) => r.l0)),
      Dead: formatSpread(
        spreadOf(s, (r) => r.dead),
        1,
      ),
      "Median score": formatSpread(spreadOf(s, (r) => r.medianScore)),
      Explained: formatSpread(spreadOf(s, (r) => r.shareExplained)),
      "Decoder PW-MCC": formatSpread(seedSpread(s.stability)),
      Failed: failed.length ? failed.map((r) => `seed ${r.seed}: ${r.failure}`).join("; ") : "",
    };
  });
}

interface Ranked {
  study: SeedStudy;
  score: SeedSpread;
}

/** Which SAE scores highest over its seeds, and which others it beats by more than the seeds' noise. */
export function seedReading(layer: GroundTruthLayer, layerName: string): HTMLElement {
  const p = setTestId(document.createElement("p"), "seed-reading");
  const ranked: Ranked[] = layer.seeds.map((study) => ({ study, score: spreadOf(study, (r) => r.medianScore) })).filter((r) => r.score.n >= 2);
  ranked.sort((a, b) => b.score.mean - a.score.mean);
  const [top, ...rest] = ranked;
  if (!top) {
    p.textContent = `No SAE of ${layerName} has two or more seeds that trained, so nothing can be said about seed noise.`;
    return p;
  }
  const beaten = rest.filter((r) => seedDifference(top.score, r.score).beyondNoise);
  const tied = rest.filter((r) => !seedDifference(top.score, r.score).beyondNoise);
  const stability = seedSpread(layer.seeds.flatMap((s) => s.stability));
  const failedRuns = layer.seeds.flatMap((s) => s.runs.filter((r) => r.failure).map((r) => `${s.id} seed ${r.seed}`));
  const parts = [
    `Over ${top.study.runs.length} seeds, ${top.study.id} has the highest median best-explanation score on ${layerName} (${formatSpread(top.score)}, mean ± sd).`,
    beaten.length
      ? `It is above ${beaten.length} of the other ${rest.length} SAEs by more than the seeds' noise (2·√(sd₁² + sd₂²));`
      : `It is above none of the other ${rest.length} by more than the seeds' noise (2·√(sd₁² + sd₂²));`,
    tied.length
      ? `against ${tied.map((r) => `${r.study.id} (${formatSpread(r.score)})`).join(", ")} the difference is within seed noise.`
      : "no SAE is within seed noise of it.",
    `Decoders of different seeds match with a PW-MCC of ${formatSpread(stability)} over all these SAEs (1 = the same dictionary up to order and sign).`,
  ];
  if (failedRuns.length) parts.push(`Runs whose training failed are left out: ${failedRuns.join(", ")}.`);
  p.textContent = parts.join(" ");
  return p;
}
