// Every probe of one registry model, produced once into the artifact cache (the build's precompute
// step runs one process per model, after the model's SAE sweeps): for each hidden layer, the
// logistic probe, the linear SVM, the control task and the sparse probes on the neurons, the PCA
// and ICA bases and the codes of each SAE architecture (the sweep's reduced-grid SAEs: 4x, the
// sparser setting), the untrained network's neurons, and the neurons after every epoch; and the
// same on the raw pixels, shared by all models. The loader src/data/probes/[model].json.ts serves it.
import { kernelModule } from "../training/kernels/build-kernels.js";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { trainedModel, HISTORY_FILE, SNAPSHOTS_FILE } from "../models/trained-model.js";
import { TRAIN_SAMPLE, trainSample } from "../site-data/dataset-files.js";
import { layerActivations } from "../sae/layer-activations.js";
import { fitBasis } from "../sae/bases.js";
import { saeSweepFile } from "../sae/sae-sweep-file.js";
import { controlTask, type ControlTask } from "./control-task.js";
import type { Dataset } from "../dataset/read-dataset.js";
import type { TF } from "../../src/lib/tf-types.js";
import type { Network } from "../../src/lib/network/network.js";
import { decodeModelFiles } from "../../src/lib/network/model-files.js";
import { decodeSweepFile, type SweepFile } from "../../src/lib/sae/sweep-file.js";
import type { FittedBasis } from "../../src/lib/sae/basis.js";
import { saeSweep } from "../../src/lib/sae/sweep.js";
import { probedSaes } from "../../src/lib/probes/probed-saes.js";
import { PIXELS, probeFeatures, type ProbeInputSource } from "../../src/lib/probes/features.js";
import { logisticScores, probeInput, type ProbeSplit } from "../../src/lib/probes/probe-input.js";
import { basisToJson, type ProbeFile, type ProbeInputResult, type ProbeLayerResult } from "../../src/lib/probes/probe-file.js";
import { PROBE_SETUP } from "../../src/lib/probes/setup.js";
import { ICA_FIT } from "../sae/bases.js";
import { producerCode } from "../cache/code-files.js";

const FILE = "probes.json";
const PIXELS_FILE = "pixels.json";

const log = (line: string) => void process.stderr.write(`${line}\n`);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

interface Splits {
  dataset: Dataset;
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  control: ControlTask;
}

async function splitsOf(dataset: Dataset): Promise<Splits> {
  const sample = trainSample(dataset);
  return { dataset, trainImages: sample.images, trainLabels: sample.labels, control: await controlTask(dataset) };
}

/** Train and test rows of one input, with the digit and control labels (control only when asked). */
async function featureSplits(tf: TF, network: Network, splits: Splits, source: ProbeInputSource, withControl: boolean): Promise<[ProbeSplit, ProbeSplit]> {
  const { dataset, trainImages, trainLabels, control } = splits;
  const train = await probeFeatures(tf, network, trainImages, trainLabels.length, source);
  const test = await probeFeatures(tf, network, dataset.test.images, dataset.test.count, source);
  return [
    { x: train, labels: trainLabels, control: withControl ? control.train : null },
    { x: test, labels: dataset.test.labels, control: withControl ? control.test : null },
  ];
}

const classesOf = (splits: Splits) => splits.dataset.classNames.length;

/** Every probe of one input. */
async function probeAll(
  tf: TF,
  network: Network,
  splits: Splits,
  source: ProbeInputSource,
  id: Pick<ProbeInputResult, "id" | "basis" | "sae">,
): Promise<ProbeInputResult> {
  const started = performance.now();
  const [train, test] = await featureSplits(tf, network, splits, source, true);
  // Logistic probes on the fused WebAssembly objective: the tfjs objective's numbers, several times faster.
  const scores = await probeInput(tf, train, test, { classes: classesOf(splits), svm: true, sparse: true, kernels: await kernelModule() });
  log(
    `probes ${source.layer} ${id.id} (${train.x.cols} features): logistic ${(100 * scores.logistic.testAccuracy).toFixed(2)}% in ${scores.logistic.iterations} iterations, ` +
      `SVM ${(100 * (scores.svm?.testAccuracy ?? NaN)).toFixed(2)}%, control ${(100 * (scores.control?.testAccuracy ?? NaN)).toFixed(2)}%, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { ...id, ...scores };
}

/** The pixel probes: the same for every model (the network is only used for its input size). */
async function pixelProbes(tf: TF, network: Network, splits: Splits): Promise<ProbeInputResult> {
  const key = await artifactKey({
    kind: "probes-pixels",
    datasetChecksum: splits.dataset.checksum,
    config: { setup: PROBE_SETUP, sample: TRAIN_SAMPLE },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const result = await probeAll(tf, network, splits, { layer: PIXELS, basis: null, sae: null }, { id: PIXELS, basis: "neurons", sae: null });
    await writeFile(join(out, PIXELS_FILE), JSON.stringify(result));
  });
  return JSON.parse(await readFile(join(dir, PIXELS_FILE), "utf8")) as ProbeInputResult;
}

/** The layer's PCA and ICA bases: the sweep's own where its SAEs read one, fitted the same way otherwise. */
async function layerBases(model: string, layer: string, sweep: SweepFile): Promise<FittedBasis[]> {
  const bases: FittedBasis[] = [];
  for (const name of ["pca", "ica"] as const) {
    const fromSweep = sweep.saes.find((sae) => sae.fittedBasis?.name === name)?.fittedBasis;
    bases.push(fromSweep ?? fitBasis(name, (await layerActivations(model, layer)).train).basis);
  }
  return bases;
}

async function layerProbes(
  tf: TF,
  network: Network,
  epochs: { epoch: number; network: Network }[],
  splits: Splits,
  model: string,
  sweep: SweepFile,
): Promise<ProbeLayerResult> {
  const { layer } = sweep;
  const bases = await layerBases(model, layer, sweep);
  const inputs: ProbeInputResult[] = [await probeAll(tf, network, splits, { layer, basis: null, sae: null }, { id: "neurons", basis: "neurons", sae: null })];
  for (const basis of bases) inputs.push(await probeAll(tf, network, splits, { layer, basis, sae: null }, { id: basis.name, basis: basis.name, sae: null }));
  for (const sae of probedSaes(sweep)) {
    inputs.push(await probeAll(tf, network, splits, { layer, basis: sae.fittedBasis, sae: sae.weights }, { id: sae.id, basis: sae.basis, sae: sae.id }));
  }
  const classes = classesOf(splits);
  const neuronsAt = async (at: Network) => {
    const [train, test] = await featureSplits(tf, at, splits, { layer, basis: null, sae: null }, false);
    return (await logisticScores(tf, train, test, { classes, kernels: await kernelModule() })).scores;
  };
  const history: ProbeLayerResult["epochs"] = [];
  for (const { epoch, network: at } of epochs) history.push({ epoch, testAccuracy: (await neuronsAt(at)).testAccuracy });
  const untrained = await neuronsAt(epochs[0].network);
  log(`probes ${model}/${layer} over ${epochs.length} epochs: ${history.map((h) => (100 * h.testAccuracy).toFixed(1)).join(", ")}`);
  return {
    layer,
    spatial: sweep.spatial,
    width: sweep.dLayer,
    bases: bases.map(basisToJson),
    inputs,
    randomInit: { trainAccuracy: untrained.trainAccuracy, testAccuracy: untrained.testAccuracy },
    epochs: history,
  };
}

/** data/probes/<model>.json */
export async function probeResults(model: string): Promise<Uint8Array> {
  const { dir: modelDir, dataset, entry } = await trainedModel(model);
  const layers: { layer: string; bytes: Uint8Array }[] = [];
  for (const { layer } of saeSweep(entry)) layers.push({ layer, bytes: await saeSweepFile(model, layer) });
  const key = await artifactKey({
    kind: `${model}-probes`,
    datasetChecksum: dataset.checksum,
    config: {
      model: basename(modelDir),
      sweeps: layers.map(({ layer, bytes }) => ({ layer, sha256: sha256(bytes) })),
      setup: PROBE_SETUP,
      sample: TRAIN_SAMPLE,
      ica: ICA_FIT,
    },
    codeFiles: await producerCode(import.meta.url),
  });
  const splits = await splitsOf(dataset);
  const dir = await withArtifact(key, async (out) => {
    const started = performance.now();
    const { tf } = await initTrainingBackend();
    const decoded = await decodeModelFiles({
      name: model,
      modelJson: JSON.parse(await readFile(join(modelDir, "model.json"), "utf8")),
      weightsBin: toArrayBuffer(await readFile(join(modelDir, "weights.bin"))),
      snapshotsBin: toArrayBuffer(await readFile(join(modelDir, SNAPSHOTS_FILE))),
      record: JSON.parse(await readFile(join(modelDir, HISTORY_FILE), "utf8")),
    });
    const pixels = await pixelProbes(tf, decoded.network, splits);
    const results: ProbeLayerResult[] = [];
    for (const { layer, bytes } of layers) {
      const sweep = await decodeSweepFile(toArrayBuffer(bytes), `SAE sweep ${model}/${layer}`);
      results.push(await layerProbes(tf, decoded.network, decoded.epochs, splits, model, sweep));
    }
    const file: ProbeFile = {
      model,
      classNames: dataset.classNames,
      setup: PROBE_SETUP,
      trainImages: splits.trainLabels.length,
      testImages: dataset.test.count,
      control: { clusters: PROBE_SETUP.control.clusters, iterations: splits.control.iterations, labelsPerDigit: splits.control.labelsPerDigit },
      pixels,
      layers: results,
      seconds: (performance.now() - started) / 1000,
    };
    log(`probes ${model}: ${results.length} layers in ${file.seconds.toFixed(1)} s`);
    await writeFile(join(out, FILE), JSON.stringify(file));
  });
  return readFile(join(dir, FILE));
}
