// Every scored layer of one model against the ground truth (src/lib/ground-truth/basis-report.ts),
// produced once into the artifact cache by the build's precompute step (one process per model,
// after its SAE sweeps and the test images' concepts). The loader
// src/data/ground-truth/[model].json.ts serves it.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainedModel } from "../models/trained-model.js";
import { trainedNetwork } from "../models/trained-network.js";
import { saeSweepFile } from "../sae/sae-sweep-file.js";
import { testConceptsCsv, testConcepts } from "../concepts/test-concepts.js";
import type { TF } from "../../src/lib/tf-types.js";
import type { Network } from "../../src/lib/network/network.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { probeFeatures, type ProbeInputSource } from "../../src/lib/probes/features.js";
import { decodeSweepFile, type SweepFile, type SweepFileSae } from "../../src/lib/sae/sweep-file.js";
import { activeAbove } from "../../src/lib/sae/config.js";
import { trainingFailure } from "../../src/lib/sae/training-failure.js";
import type { FittedBasis } from "../../src/lib/sae/basis.js";
import { activeValues, basisReport, SCORE_SETUP, type BasisReport } from "../../src/lib/ground-truth/basis-report.js";
import { conceptInputs } from "../../src/lib/ground-truth/concept-inputs.js";
import type { ExplanationInput } from "../../src/lib/ground-truth/explanations.js";
import { encodeGroundTruthFile, groundTruthFormat, type GroundTruthFile, type GroundTruthLayer } from "../../src/lib/ground-truth/report-file.js";
import { SCORED_LAYERS, scoredSaes } from "../../src/lib/ground-truth/scored-layers.js";
import { layerActivations } from "../sae/layer-activations.js";
import { EXTRA_SEEDS, seedStudy } from "./seed-study.js";
import { absorptionRows, sparseProbing, ABSORPTION_CONCEPT, type CheckedBasis } from "./sae-checks.js";
import { probedSaes } from "../../src/lib/probes/probed-saes.js";
import { SPARSE_PROBE_SETUP } from "../../src/lib/ground-truth/sparse-probing.js";
import { ABSORPTION_SETUP } from "../../src/lib/ground-truth/absorption.js";
import { producerCode } from "../cache/code-files.js";

const FILE = "ground-truth.json";

const log = (line: string) => void process.stderr.write(`${line}\n`);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

async function layerReport(
  tf: TF,
  network: Network,
  images: Uint8Array,
  count: number,
  sweep: SweepFile,
  concepts: ExplanationInput,
): Promise<GroundTruthLayer> {
  const started = performance.now();
  const { layer } = sweep;
  const values = (source: Omit<ProbeInputSource, "layer">) => probeFeatures(tf, network, images, count, { layer, ...source });
  const neurons = await values({ basis: null, sae: null });
  const saes = scoredSaes(sweep.saes, sweep.dLayer);
  const basisOf = (name: "pca" | "ica"): FittedBasis => {
    const basis = saes.find((sae) => sae.fittedBasis?.name === name)?.fittedBasis;
    if (!basis) throw new Error(`ground truth ${sweep.model}/${layer}: the sweep has no SAE on the ${name} basis to take the basis from`);
    return basis;
  };
  const inBasis: Record<"neurons" | "pca" | "ica", ActivationMatrix> = {
    neurons,
    pca: await values({ basis: basisOf("pca"), sae: null }),
    ica: await values({ basis: basisOf("ica"), sae: null }),
  };
  const bases: BasisReport[] = [
    basisReport({ id: "neurons", kind: "neurons", basis: "neurons", values: neurons, activeAbove: 0 }, neurons, concepts),
    basisReport({ id: "pca", kind: "pca", basis: "pca", values: inBasis.pca, activeAbove: 0 }, neurons, concepts),
    basisReport({ id: "ica", kind: "ica", basis: "ica", values: inBasis.ica, activeAbove: 0 }, neurons, concepts),
  ];
  const probed = new Set(probedSaes(sweep).map((sae) => sae.id));
  const probedCodes: { sae: SweepFileSae; codes: ActivationMatrix }[] = [];
  for (const sae of saes) {
    const codes = await values({ basis: sae.fittedBasis, sae: sae.weights });
    if (probed.has(sae.id)) probedCodes.push({ sae, codes });
    const failure = trainingFailure(sae);
    bases.push(
      basisReport(
        {
          id: sae.id,
          kind: "sae",
          basis: sae.basis,
          architecture: sae.config.architecture,
          values: codes,
          activeAbove: activeAbove(sae.config.architecture),
          controlInput: inBasis[sae.basis],
          ...(failure ? { failure } : {}),
        },
        neurons,
        concepts,
      ),
    );
  }
  const scored = performance.now();
  log(`ground truth ${sweep.model}/${layer}: ${bases.length} bases scored in ${((scored - started) / 1000).toFixed(1)} s`);
  const seeds = await seedStudy(tf, sweep, await layerActivations(sweep.model, layer), concepts, SCORE_SETUP.threshold);
  log(
    `ground truth ${sweep.model}/${layer}: ${seeds.length} SAEs × ${EXTRA_SEEDS.length} more seeds trained and scored in ${((performance.now() - scored) / 1000).toFixed(1)} s`,
  );
  const seeded = performance.now();
  const checked: CheckedBasis[] = [
    { id: "neurons", values: neurons },
    { id: "pca", values: inBasis.pca },
    { id: "ica", values: inBasis.ica },
    ...probedCodes
      .filter(({ sae }) => sae.basis === "neurons")
      .map(({ sae, codes }) => ({ id: sae.id, values: activeValues(codes, activeAbove(sae.config.architecture)) })),
  ];
  const probing = await sparseProbing(tf, checked, concepts);
  const absorbed = await absorptionRows(tf, probedCodes, neurons, concepts);
  log(
    `ground truth ${sweep.model}/${layer}: k-sparse probes of ${checked.length} bases and absorption by ${absorbed.length} SAEs in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
  );
  return { layer, width: sweep.dLayer, bases, seeds, sparseProbing: probing, absorption: absorbed };
}

/** data/ground-truth/<model>.json */
export async function groundTruthResults(model: string): Promise<Uint8Array> {
  const layers = SCORED_LAYERS[model];
  if (!layers) throw new Error(`ground truth: no scored layers for model "${model}"; scored: ${Object.keys(SCORED_LAYERS).join(", ")}`);
  const { dir: modelDir, dataset } = await trainedModel(model);
  const sweeps: { layer: string; bytes: Uint8Array }[] = [];
  for (const layer of layers) sweeps.push({ layer, bytes: await saeSweepFile(model, layer) });
  const conceptsCsv = await testConceptsCsv();
  const key = await artifactKey({
    kind: `${model}-ground-truth`,
    datasetChecksum: dataset.checksum,
    config: {
      model: basename(modelDir),
      sweeps: sweeps.map(({ layer, bytes }) => ({ layer, sha256: sha256(bytes) })),
      concepts: sha256(conceptsCsv),
      setup: SCORE_SETUP,
      seeds: EXTRA_SEEDS,
      sparseProbing: SPARSE_PROBE_SETUP,
      absorption: { ...ABSORPTION_SETUP, concept: ABSORPTION_CONCEPT },
    },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const started = performance.now();
    const { tf } = await initTrainingBackend();
    const network = await trainedNetwork(modelDir);
    const measured = await testConcepts();
    const { test } = dataset;
    if (measured.count !== test.count) throw new Error(`ground truth: the concepts have ${measured.count} rows, the test set ${test.count} images`);
    const inputs = conceptInputs(measured.columns, test.count, "data/concepts/test.csv");
    const concepts: ExplanationInput = { labels: test.labels, classes: dataset.classNames.length, classNames: dataset.classNames, ...inputs };
    const results: GroundTruthLayer[] = [];
    for (const { bytes } of sweeps) {
      const sweep = await decodeSweepFile(toArrayBuffer(bytes), `SAE sweep ${model}`);
      results.push(await layerReport(tf, network, test.images, test.count, sweep, concepts));
    }
    const file: GroundTruthFile = {
      format: groundTruthFormat,
      model,
      classNames: dataset.classNames,
      images: test.count,
      setup: SCORE_SETUP,
      concepts: { continuous: inputs.continuous.map((c) => c.name), binary: inputs.binary.map((b) => b.name) },
      layers: results,
      seconds: (performance.now() - started) / 1000,
    };
    log(`ground truth ${model}: ${results.length} layers in ${file.seconds.toFixed(1)} s`);
    await writeFile(join(out, FILE), encodeGroundTruthFile(file));
  });
  return readFile(join(dir, FILE));
}
