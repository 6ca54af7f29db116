// k-sparse probing and feature absorption of a scored layer (data-loaders/ground-truth/sae-checks.ts):
// how well the k best columns of each basis read the classes and the concepts, and how often an
// SAE's main "closed loop" latents stay silent on an image with a loop while another latent fires.
import * as Plot from "@observablehq/plot";
import type { GroundTruthLayer } from "../../lib/ground-truth/report-file.js";
import { ABSORPTION_SETUP } from "../../lib/ground-truth/absorption.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId } from "../chart-helpers.js";

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "n/a");

/** Mean test F1 against k, one line per basis, for the classes and for the concepts. */
export function sparseProbingChart(layer: GroundTruthLayer, options: { width?: number } = {}): SVGSVGElement | HTMLElement {
  const data = layer.sparseProbing.bases.flatMap((b) =>
    b.perK.flatMap((p) => [
      { basis: b.id, k: p.k, f1: p.classF1, target: `classes (${layer.sparseProbing.classes})` },
      { basis: b.id, k: p.k, f1: p.conceptF1, target: `concepts (${layer.sparseProbing.concepts.length})` },
    ]),
  );
  const plot = Plot.plot({
    width: resolveWidth(options.width, "sparseProbingChart"),
    height: 280,
    grid: true,
    x: { type: "log", base: 2, label: "k (columns kept) →", ticks: layer.sparseProbing.ks },
    y: { label: "↑ mean test F1", domain: [0, 1] },
    fx: { label: null },
    color: { legend: true, scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.line(data, { x: "k", y: "f1", stroke: "basis", fx: "target" }),
      Plot.dot(data, { x: "k", y: "f1", fill: "basis", fx: "target", r: 3, tip: true }),
    ],
  });
  return setTestId(plot as SVGSVGElement, "sparse-probing-chart");
}

export function sparseProbingRows(layer: GroundTruthLayer): Record<string, unknown>[] {
  return layer.sparseProbing.bases.map((b) => ({
    Basis: b.id,
    ...Object.fromEntries(b.perK.map((p) => [`k = ${p.k}: classes / concepts`, `${f2(p.classF1)} / ${f2(p.conceptF1)}`])),
  }));
}

/** Where the SAEs' single best latent stands against the best neuron, per kind of target. */
export function sparseProbingReading(layer: GroundTruthLayer, layerName: string): HTMLElement {
  const p = setTestId(document.createElement("p"), "sparse-probing-reading");
  const atK = (id: string, k: number) => layer.sparseProbing.bases.find((b) => b.id === id)?.perK.find((q) => q.k === k);
  const k = layer.sparseProbing.ks[0];
  const neurons = atK("neurons", k);
  const saes = layer.sparseProbing.bases.filter((b) => b.id.includes("/")).map((b) => ({ id: b.id, at: b.perK.find((q) => q.k === k) }));
  const best = (pick: (q: NonNullable<(typeof saes)[number]["at"]>) => number) => [...saes].filter((s) => s.at).sort((a, b) => pick(b.at!) - pick(a.at!))[0];
  const bestClass = best((q) => q.classF1);
  const bestConcept = best((q) => q.conceptF1);
  if (!neurons || !bestClass || !bestConcept) {
    p.textContent = `No k-sparse probes were made on ${layerName}.`;
    return p;
  }
  p.textContent =
    `With one column (k = ${k}) on ${layerName}, each target's best neuron reads the classes with a mean test F1 of ${f2(neurons.classF1)} and the concepts with ${f2(neurons.conceptF1)}; ` +
    `the SAE whose best latents do best is ${bestClass.id} for the classes (${f2(bestClass.at!.classF1)}) and ${bestConcept.id} for the concepts (${f2(bestConcept.at!.conceptF1)}). ` +
    `Each SAE here is one training run; the seed study above gives the size of a seed's effect on its scores.`;
  return p;
}

export function absorptionTableRows(layer: GroundTruthLayer): Record<string, unknown>[] {
  return layer.absorption.map((a) => ({
    SAE: a.id,
    Concept: a.concept,
    Images: a.images,
    "Main latents": a.mainLatents.join(", "),
    "Absorbed (full)": pct(a.rate),
    "Absorption fraction": pct(a.meanAbsorptionFraction),
    "Main latents silent": pct(a.falseNegativeRate),
    "Top absorbers (images, cos)": a.absorbers.map((b) => `${b.latent} (${b.count}, ${b.cosine.toFixed(2)})`).join("; "),
    "Probe F1": f2(a.probeF1),
    Note: a.usable ? "" : `probe F1 below ${ABSORPTION_SETUP.minProbeF1}: SAEBench would not score it`,
  }));
}
