// The SAE sweep file of one (model, layer), produced once into the artifact cache: the layer's
// activations, its PCA/ICA bases, every SAE of its sweep (src/lib/sae/sweep.ts) trained and
// measured, written as src/lib/sae/sweep-file.ts describes. The build's precompute step runs one
// process per (model, layer) (produce-sae.ts); the loader src/data/sae/[model]/[layer].bin.ts
// then reads the result.
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainedModel } from "../models/trained-model.js";
import { trainedNetwork } from "../models/trained-network.js";
import { SPATIAL_SAMPLES, layerActivations } from "./layer-activations.js";
import { ICA_FIT, fitBasis } from "./bases.js";
import { trainSweepSae } from "./train-sweep.js";
import { downstreamRunner } from "./downstream-metrics.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { modelEntry } from "../../src/lib/models/registry.js";
import { toBasis, type FittedBasis } from "../../src/lib/sae/basis.js";
import { evaluateSae } from "../../src/lib/sae/evaluate.js";
import { sweepMetrics } from "../../src/lib/sae/sweep-metrics.js";
import { cfgJson } from "../../src/lib/sae/sae-files.js";
import { saeSweep, type SweepLayer } from "../../src/lib/sae/sweep.js";
import { encodeSweepFile, type SweepBasisFit, type SweepFileSae } from "../../src/lib/sae/sweep-file.js";
import { producerCode } from "../cache/code-files.js";

export const SWEEP_FILE = "sweep.bin";

/** The sweep of `layer` of registry model `model`, with an error that lists the layers it has. */
export function sweepLayer(model: string, layer: string): SweepLayer {
  const layers = saeSweep(modelEntry(model));
  const found = layers.find((l) => l.layer === layer);
  if (!found)
    throw new Error(`SAE sweep: model "${model}" has no layer ${JSON.stringify(layer)} to train SAEs on; it has ${layers.map((l) => l.layer).join(", ")}`);
  return found;
}

const log = (line: string) => void process.stderr.write(`${line}\n`);

export async function saeSweepFile(model: string, layer: string): Promise<Uint8Array> {
  const { dir: modelDir, dataset } = await trainedModel(model);
  const plan = sweepLayer(model, layer);
  const key = await artifactKey({
    kind: `${model}-sae-${layer}`,
    datasetChecksum: dataset.checksum,
    config: { model: basename(modelDir), plan, spatial: SPATIAL_SAMPLES, ica: ICA_FIT },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const activations = await layerActivations(model, layer);
    if (activations.spatial !== plan.spatial || activations.train.cols !== plan.width) {
      throw new Error(
        `SAE sweep ${model}/${layer}: the registry says ${plan.spatial ? "a spatial" : "a flat"} layer of width ${plan.width}, ` +
          `the trained network has ${activations.spatial ? "a spatial" : "a flat"} one of width ${activations.train.cols}`,
      );
    }
    const { tf } = await initTrainingBackend();
    const network = await trainedNetwork(modelDir);
    // Each basis once per layer: fitted, and the training activations mapped into it.
    const bases = new Map<string, { basis: FittedBasis; fit: SweepBasisFit; inputs: ActivationMatrix }>();
    for (const name of new Set(plan.saes.map((s) => s.basis))) {
      if (name === "neurons") continue;
      const started = performance.now();
      const { basis, fit } = fitBasis(name, activations.train);
      bases.set(name, { basis, fit, inputs: toBasis(basis, activations.train) });
      log(`${model}/${layer}: ${name} basis (${basis.dIn} directions) fitted on ${fit.rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const downstream = await downstreamRunner(tf, network, layer, dataset, activations.train);
    const saes: SweepFileSae[] = [];
    try {
      for (const [index, sae] of plan.saes.entries()) {
        const inBasis = sae.basis === "neurons" ? null : bases.get(sae.basis)!;
        const basis = inBasis?.basis ?? null;
        const trained = await trainSweepSae(tf, sae, inBasis?.inputs ?? activations.train);
        const evaluation = evaluateSae(tf, trained.weights, activations.evaluation, { basis });
        const spliced = await downstream.measure(trained.weights, basis);
        saes.push({
          id: sae.id,
          basis: sae.basis,
          config: trained.config,
          cfg: cfgJson(trained.config, trained.weights, { model, layer, basis: sae.basis, spatial: plan.spatial }, basis),
          metrics: sweepMetrics(evaluation, spliced, downstream.baselines),
          history: trained.history,
          trainSeconds: trained.trainSeconds,
          weights: trained.weights,
          fittedBasis: basis,
        });
        const rate = trained.config.steps / trained.trainSeconds;
        log(
          `${model}/${layer} SAE ${index + 1}/${plan.saes.length} ${sae.id}: ${trained.config.steps} steps in ${trained.trainSeconds.toFixed(1)} s (${rate.toFixed(0)} steps/s); ` +
            `L0 ${evaluation.l0.toFixed(2)}, variance explained ${evaluation.fractionVarianceExplained.toFixed(3)}, dead ${evaluation.dead.length}/${trained.config.dSae}, ` +
            `accuracy ${(100 * spliced.accuracy).toFixed(2)}% (${(100 * downstream.baselines.originalAccuracy).toFixed(2)}% without the SAE)`,
        );
      }
    } finally {
      downstream.dispose();
    }
    const bytes = encodeSweepFile({
      model,
      layer,
      spatial: plan.spatial,
      dLayer: plan.width,
      samples: activations.samples,
      evaluationImages: activations.evaluationImages,
      bases: [...bases.values()].map((b) => b.fit),
      saes,
    });
    await writeFile(join(out, SWEEP_FILE), gzipSync(bytes));
  });
  return readFile(join(dir, SWEEP_FILE));
}
