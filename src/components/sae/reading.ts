// The page's written reading of a layer's sweep: every number in it is computed here from the
// sweep file and the monosemanticity scores, so the text stays true for any model, layer and dataset.
import type { SweepFile, SweepFileSae } from "../../lib/sae/sweep-file.js";
import type { ScoredGroup } from "./semantics.js";
import { architecture } from "../../lib/sae/architectures/index.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function best(saes: SweepFileSae[], by: (s: SweepFileSae) => number): SweepFileSae | null {
  return saes.length === 0 ? null : saes.reduce((a, b) => (by(b) > by(a) ? b : a));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function paragraph(html: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.innerHTML = html;
  return p;
}

export function readSweep(sweep: SweepFile, groups: ScoredGroup[] | null): Element {
  const box = document.createElement("div");
  box.dataset.testid = "sae-reading";
  // A code that is never exactly 0 (a sigmoid's) is counted in L0 above a line only, while the
  // reconstruction uses every code, so such an SAE does not compete on sparsity with the others.
  const exact = (s: SweepFileSae) => architecture(s.config.architecture).exactZeros;
  const sparse = sweep.saes.filter((s) => exact(s) && s.metrics.l0 <= 4);
  const inexact = sweep.saes.filter((s) => !exact(s));
  const names = [...new Set(inexact.map((s) => s.config.architecture))].join(" and ");
  const excludedNote =
    inexact.length > 0
      ? ` (the ${inexact.length} ${names} SAEs are left out: their codes are never exactly 0, and their reconstructions use the small codes that their L0 does not count)`
      : "";
  const bestFve = best(sparse, (s) => s.metrics.fractionVarianceExplained);
  const bestRecovered = best(sparse, (s) => s.metrics.lossRecoveredMean);
  if (bestFve && bestRecovered) {
    box.append(
      paragraph(
        `<strong>Sparsity against fidelity.</strong> Among the ${sparse.length} SAEs of ${sweep.layer} that use at most 4 latents per input on average${excludedNote}, ` +
          `the most faithful reconstruction is <code>${bestFve.id}</code> (L0 ${bestFve.metrics.l0.toFixed(2)}, ${pct(bestFve.metrics.fractionVarianceExplained)} of the variance explained), ` +
          `and the most useful to the network is <code>${bestRecovered.id}</code> (L0 ${bestRecovered.metrics.l0.toFixed(2)}, ${pct(bestRecovered.metrics.lossRecoveredMean)} of the loss recovered against mean ablation, ` +
          `accuracy ${pct(bestRecovered.metrics.accuracy)} spliced against ${pct(bestRecovered.metrics.originalAccuracy)} unmodified).`,
      ),
    );
  } else {
    box.append(paragraph(`No SAE of ${sweep.layer} uses at most 4 latents per input on average${excludedNote}.`));
  }
  const byMultiple = new Map<number, SweepFileSae[]>();
  for (const s of sweep.saes.filter((s) => s.basis === "neurons")) {
    const m = s.config.dSae / sweep.dLayer;
    byMultiple.set(m, [...(byMultiple.get(m) ?? []), s]);
  }
  const multiples = [...byMultiple.keys()].sort((a, b) => a - b);
  if (multiples.length > 1) {
    const deadShare = (m: number) => mean(byMultiple.get(m)!.map((s) => s.metrics.dead.length / s.config.dSae));
    box.append(
      paragraph(
        `<strong>Dead latents.</strong> On the neurons, the ${multiples[0]}× dictionaries leave ${pct(deadShare(multiples[0]))} of their latents dead on average, the ` +
          `${multiples.at(-1)}× ones ${pct(deadShare(multiples.at(-1)!))}: a larger dictionary than the layer's activations can fill stays partly unused.`,
      ),
    );
  }
  const bases = ["neurons", "pca", "ica"] as const;
  const onPca = sweep.saes.filter((s) => s.basis === "pca");
  if (onPca.length > 0) {
    const matched = (basis: string) =>
      onPca
        .map((p) =>
          sweep.saes.find(
            (s) =>
              s.basis === basis &&
              s.config.architecture === p.config.architecture &&
              s.config.dSae === p.config.dSae &&
              JSON.stringify({ ...s.config, dIn: 0 }) === JSON.stringify({ ...p.config, dIn: 0 }),
          ),
        )
        .filter((s): s is SweepFileSae => s !== undefined);
    const rows = bases.map((basis) => ({ basis, saes: basis === "pca" ? onPca : matched(basis) })).filter((r) => r.saes.length > 0);
    const line = rows
      .map(
        (r) =>
          `${r.basis === "neurons" ? "the neurons" : r.basis.toUpperCase()}: ${pct(mean(r.saes.map((s) => s.metrics.fractionVarianceExplained)))} variance explained, ${pct(mean(r.saes.map((s) => s.metrics.lossRecoveredMean)))} loss recovered`,
      )
      .join("; ");
    const ica = rows.find((r) => r.basis === "ica");
    const neurons = rows.find((r) => r.basis === "neurons");
    const verdict =
      ica && neurons
        ? mean(ica.saes.map((s) => s.metrics.fractionVarianceExplained)) > mean(neurons.saes.map((s) => s.metrics.fractionVarianceExplained))
          ? "Here the disentangled (ICA) basis helps the SAE reconstruct."
          : "Here the disentangled (ICA) basis does not help the SAE reconstruct."
        : "";
    box.append(
      paragraph(
        `<strong>Does a disentangled basis help?</strong> The same architectures and settings at ${onPca[0].config.dSae / sweep.dLayer}×, averaged: ${line}. ${verdict}`,
      ),
    );
  }
  if (groups) {
    const neurons = groups.find((g) => g.label === "neurons");
    const features = groups.filter((g) => g.label.startsWith("SAE"));
    const top = features.length > 0 ? features.reduce((a, b) => (b.median > a.median ? b : a)) : null;
    if (neurons && top) {
      const better = features.filter((g) => g.median > neurons.median).length;
      box.append(
        paragraph(
          `<strong>Are features more monosemantic than neurons?</strong> The layer's ${neurons.values.length} ${sweep.spatial ? "channels" : "neurons"} have a median score of ${neurons.median.toFixed(3)}; ` +
            `${better} of the ${features.length} SAEs shown have a higher median, the highest being <code>${top.label.replace(/^SAE /, "")}</code> at ${top.median.toFixed(3)}. ` +
            (better > features.length / 2
              ? "By this score, most SAEs find features that are more class-specific than the units"
              : "By this score, most SAEs do not find features more class-specific than the units") +
            '; this score does not control for sparsity, so it is not evidence on its own: the <a href="./ground-truth.html">ground-truth page</a> measures each SAE against sparsity-matched controls.',
        ),
      );
    }
  } else {
    box.append(paragraph("<em>The monosemanticity scores are still being computed…</em>"));
  }
  return box;
}
