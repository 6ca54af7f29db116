// SAEBench's two checks that fit a 10-class image task, on one scored layer: k-sparse probing
// (the k best columns of a basis by mean difference, k = 1, 2, 4, 8, for every class and every
// "≥" concept) of the neurons, PCA and ICA components and each architecture's probed SAE on the
// neurons; and feature absorption of "holes ≥ 1" (a closed loop, which 0, 6, 8 and 9 mostly have)
// for every probed SAE. Both split the test images in half, seeded and stratified by the target.
import type { TF } from "../../src/lib/tf-types.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import type { ExplanationInput } from "../../src/lib/ground-truth/explanations.js";
import type { SweepFileSae } from "../../src/lib/sae/sweep-file.js";
import { activeAbove } from "../../src/lib/sae/config.js";
import { activeValues } from "../../src/lib/ground-truth/basis-report.js";
import { classTargets, kSparseProbe, splitProbeSet, splitRows, summarizeSparseProbes, SPARSE_PROBE_SETUP } from "../../src/lib/ground-truth/sparse-probing.js";
import { absorption, decoderInNeuronSpace, ABSORPTION_SETUP } from "../../src/lib/ground-truth/absorption.js";
import type { AbsorptionRow, SparseProbing, SparseProbingBasis } from "../../src/lib/ground-truth/report-file.js";
import type { BinaryConcept } from "../../src/lib/ground-truth/types.js";
import { kernelModule } from "../training/kernels/build-kernels.js";

/** The hierarchical concept of the absorption check. */
export const ABSORPTION_CONCEPT = "holes ≥ 1";

export interface CheckedBasis {
  id: string;
  values: ActivationMatrix;
}

async function probeTargets(tf: TF, basis: CheckedBasis, targets: readonly BinaryConcept[], kernels: WebAssembly.Module) {
  const results = [];
  for (const target of targets) {
    const split = splitRows(basis.values.rows, SPARSE_PROBE_SETUP.trainFraction, SPARSE_PROBE_SETUP.seed, target.positive);
    const { train, test } = splitProbeSet(basis.values, target.positive, split);
    results.push(await kSparseProbe(tf, train, test, SPARSE_PROBE_SETUP.ks, { kernels }));
  }
  return summarizeSparseProbes(results);
}

export async function sparseProbing(tf: TF, bases: readonly CheckedBasis[], concepts: ExplanationInput): Promise<SparseProbing> {
  const kernels = await kernelModule();
  const classes = classTargets(concepts.labels, concepts.classes);
  const conceptTargets = (concepts.binary ?? []).filter((b) => b.name.includes("≥"));
  const rows: SparseProbingBasis[] = [];
  for (const basis of bases) {
    const byClass = await probeTargets(tf, basis, classes, kernels);
    const byConcept = await probeTargets(tf, basis, conceptTargets, kernels);
    rows.push({
      id: basis.id,
      perK: byClass.map((c, i) => ({
        k: c.k,
        classF1: c.meanTestF1,
        conceptF1: byConcept[i].meanTestF1,
        classAuroc: c.meanTestAuroc,
        conceptAuroc: byConcept[i].meanTestAuroc,
      })),
    });
  }
  return {
    ks: [...SPARSE_PROBE_SETUP.ks],
    classes: classes.length,
    concepts: conceptTargets.map((c) => c.name),
    setup: { ...SPARSE_PROBE_SETUP, ks: [...SPARSE_PROBE_SETUP.ks] },
    bases: rows,
  };
}

export async function absorptionRows(
  tf: TF,
  saes: readonly { sae: SweepFileSae; codes: ActivationMatrix }[],
  neurons: ActivationMatrix,
  concepts: ExplanationInput,
): Promise<AbsorptionRow[]> {
  const concept = (concepts.binary ?? []).find((b) => b.name === ABSORPTION_CONCEPT);
  if (!concept) throw new Error(`absorption: no concept "${ABSORPTION_CONCEPT}" among ${(concepts.binary ?? []).map((b) => b.name).join(", ")}`);
  const kernels = await kernelModule();
  const rows: AbsorptionRow[] = [];
  for (const { sae, codes } of saes) {
    const { decoder, offset } = decoderInNeuronSpace(sae.weights, sae.fittedBasis ?? undefined);
    const threshold = Math.max(activeAbove(sae.config.architecture), ABSORPTION_SETUP.activeAbove);
    // Projections are measured from the SAE's zero-code reconstruction, so latents' projections add up to the image's.
    const result = await absorption(
      tf,
      { concept, neurons, codes: activeValues(codes, activeAbove(sae.config.architecture)), decoder },
      { kernels, origin: offset, activeAbove: threshold },
    );
    rows.push({
      id: sae.id,
      architecture: sae.config.architecture,
      basis: sae.basis,
      concept: concept.name,
      rate: result.rate,
      meanAbsorptionFraction: result.meanAbsorptionFraction,
      falseNegativeRate: result.falseNegativeRate,
      mainLatents: result.mainLatents,
      absorbers: result.absorbers.slice(0, 3),
      images: result.images,
      probeF1: result.probe.testF1,
      usable: result.probe.usable,
    });
  }
  return rows;
}
