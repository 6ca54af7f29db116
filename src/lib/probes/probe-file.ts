// data/probes/<model>.json: every probe the build ran on one model, with the definition of each
// probe's input (model, layer, basis, SAE, pooling) so that a reader can rebuild the inputs from the
// downloads (the model's tfjs files, the SAE's safetensors) and check the numbers.
import type { FittedBasis } from "../sae/basis.js";
import { checkBasis } from "../sae/basis.js";
import type { BasisName } from "../sae/sweep.js";
import { describeValue } from "../validate-input.js";
import type { ProbeScores } from "./probe-input.js";
import type { PROBE_SETUP } from "./setup.js";

export interface ProbeInputResult extends ProbeScores {
  /** "neurons", "pca", "ica", or an SAE's sweep id such as "neurons/topk-x4-k4"; "pixels" for the pixels. */
  id: string;
  /** The basis the values are in (the SAE reads that basis's coordinates). */
  basis: BasisName;
  /** The SAE's sweep id, or null. */
  sae: string | null;
}

/** A fitted basis as JSON numbers (each a float32 value, so Float32Array.from restores it exactly). */
export interface BasisJson {
  name: "pca" | "ica";
  dLayer: number;
  dIn: number;
  mean: number[];
  transform: number[];
  inverse: number[];
}

export interface ProbeLayerResult {
  layer: string;
  spatial: boolean;
  /** Units of a dense layer, channels of a conv layer. */
  width: number;
  /** The PCA and ICA bases the "pca" and "ica" inputs (and the SAEs on them) read. */
  bases: BasisJson[];
  inputs: ProbeInputResult[];
  /** The logistic probe on the neurons of the untrained network (epoch 0 of the snapshots). */
  randomInit: { trainAccuracy: number; testAccuracy: number };
  /** The logistic probe on the neurons after each recorded epoch. */
  epochs: { epoch: number; testAccuracy: number }[];
}

export interface ProbeFile {
  model: string;
  classNames: string[];
  setup: typeof PROBE_SETUP;
  trainImages: number;
  testImages: number;
  /** The control task's k-means on the training sample's pixels. */
  control: { clusters: number; iterations: number; labelsPerDigit: number[] };
  pixels: ProbeInputResult;
  layers: ProbeLayerResult[];
  /** How long the build took to run this model's probes. */
  seconds: number;
}

export function basisToJson(basis: FittedBasis): BasisJson {
  return {
    name: basis.name,
    dLayer: basis.dLayer,
    dIn: basis.dIn,
    mean: Array.from(basis.mean),
    transform: Array.from(basis.transform),
    inverse: Array.from(basis.inverse),
  };
}

export function basisFromJson(json: BasisJson, what = "basis"): FittedBasis {
  const basis = {
    ...json,
    mean: Float32Array.from(json.mean ?? []),
    transform: Float32Array.from(json.transform ?? []),
    inverse: Float32Array.from(json.inverse ?? []),
  };
  checkBasis(basis, what);
  return basis;
}

/** Checks the parts the page relies on; throws a message naming the file and the first problem. */
export function checkProbeFile(value: unknown, source = "probes.json"): ProbeFile {
  const file = value as ProbeFile;
  const fail = (what: string, found: unknown) => {
    throw new Error(`${source}: expected ${what}, found ${describeValue(found)}`);
  };
  if (file === null || typeof file !== "object") fail("an object", file);
  if (typeof file.model !== "string") fail("a model name", file.model);
  if (!Array.isArray(file.classNames) || file.classNames.length < 2) fail("at least 2 class names", file.classNames);
  if (!Array.isArray(file.layers) || file.layers.length === 0) fail("a list of layers", file.layers);
  const checkInput = (input: ProbeInputResult, where: string) => {
    if (typeof input?.logistic?.testAccuracy !== "number") fail(`${where}: a logistic test accuracy`, input?.logistic?.testAccuracy);
    if (!Array.isArray(input.weights) || input.weights.length !== input.features * file.classNames.length) {
      fail(`${where}: ${file.classNames.length} × ${input.features} weights`, input.weights?.length);
    }
  };
  checkInput(file.pixels, "pixels");
  for (const layer of file.layers) {
    if (!Array.isArray(layer.inputs) || layer.inputs.length === 0) fail(`inputs for layer ${layer.layer}`, layer.inputs);
    for (const input of layer.inputs) checkInput(input, `${layer.layer} ${input.id}`);
    layer.bases.forEach((basis, i) => basisFromJson(basis, `${source}: ${layer.layer} basis ${i}`));
  }
  return file;
}
