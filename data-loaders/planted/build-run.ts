// The planted-feature benchmark at build time: the page's default spec, every SAE architecture
// trained on it with the page's settings (src/lib/planted/benchmark.ts) on the fused wasm step,
// each scored against the true features beside the random-dictionary control; cached once, and
// exported beside the site as data/planted/run.json, features.safetensors and generator.json so
// that a reader can check the numbers without running the page.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { initTrainingBackend } from "../training/node-backend.js";
import { kernelModule } from "../training/kernels/build-kernels.js";
import { activationMatrix, plantFeatures } from "../../src/lib/planted/generate.js";
import { DEFAULT_PLANTED_SPEC } from "../../src/lib/planted/spec.js";
import {
  decoderDirections,
  plantedDictionarySize,
  plantedRunFiles,
  plantedSaeConfig,
  randomBaselineRow,
  saeRow,
  trueMeanL0,
  PLANTED_CONTROL_SEED,
  PLANTED_DEFAULT_STEPS,
  type PlantedRow,
} from "../../src/lib/planted/benchmark.js";
import { SAE_ARCHITECTURES, saeConfig } from "../../src/lib/sae/config.js";
import { trainSae } from "../../src/lib/sae/train.js";
import { producerCode } from "../cache/code-files.js";

export const PLANTED_FILES = { run: "run.json", features: "planted-features.safetensors", generator: "planted-generator.json" } as const;

/** A row's numbers, without its per-latent arrays. */
export type PlantedSummaryRow = Omit<PlantedRow, "latentLabelScores" | "latentBestFeature" | "matchedCosines" | "matching"> & { seconds?: number };

export interface PlantedBuildRun {
  spec: typeof DEFAULT_PLANTED_SPEC;
  steps: number;
  dSae: number;
  controlK: number;
  rows: PlantedSummaryRow[];
  control: PlantedSummaryRow;
  seconds: number;
}

const summary = (row: PlantedRow): PlantedSummaryRow => {
  const { latentLabelScores: _a, latentBestFeature: _b, matchedCosines: _c, matching: _d, ...rest } = row;
  return rest;
};

const log = (line: string) => void process.stderr.write(`${line}\n`);

/** The folder holding the three files (produced once per code version). */
export async function plantedBuildDir(): Promise<string> {
  const key = await artifactKey({
    kind: "planted-benchmark",
    datasetChecksum: "none (synthetic data)",
    config: { spec: DEFAULT_PLANTED_SPEC, steps: PLANTED_DEFAULT_STEPS, architectures: SAE_ARCHITECTURES, controlSeed: PLANTED_CONTROL_SEED },
    codeFiles: await producerCode(import.meta.url),
  });
  return withArtifact(key, async (out) => {
    const started = performance.now();
    const { tf } = await initTrainingBackend();
    const kernels = await kernelModule();
    const data = plantFeatures(DEFAULT_PLANTED_SPEC);
    const activations = activationMatrix(data);
    const rows: PlantedSummaryRow[] = [];
    const decoders: { architecture: string; decoder: ReturnType<typeof decoderDirections> }[] = [];
    for (const architecture of SAE_ARCHITECTURES) {
      const begun = performance.now();
      const config = saeConfig(plantedSaeConfig(data, architecture, PLANTED_DEFAULT_STEPS));
      const { weights } = await trainSae(tf, activations, config, {}, { kernels });
      const seconds = (performance.now() - begun) / 1000;
      const row = summary(saeRow(data, weights));
      rows.push({ ...row, seconds });
      decoders.push({ architecture, decoder: decoderDirections(weights) });
      log(`planted: ${architecture} trained and scored in ${seconds.toFixed(1)} s: MCC ${row.mcc.toFixed(3)}, label-style score ${row.labelScore.toFixed(3)}`);
    }
    const dSae = plantedDictionarySize(data.spec.n);
    const controlK = trueMeanL0(data);
    const control = summary(randomBaselineRow(data, dSae, PLANTED_CONTROL_SEED, controlK));
    const run: PlantedBuildRun = {
      spec: DEFAULT_PLANTED_SPEC,
      steps: PLANTED_DEFAULT_STEPS,
      dSae,
      controlK,
      rows,
      control,
      seconds: (performance.now() - started) / 1000,
    };
    const [features, generator] = plantedRunFiles(data, decoders);
    await writeFile(join(out, PLANTED_FILES.run), JSON.stringify(run));
    await writeFile(join(out, PLANTED_FILES.features), features.bytes);
    await writeFile(join(out, PLANTED_FILES.generator), generator.bytes);
    log(`planted: ${rows.length} architectures in ${run.seconds.toFixed(1)} s`);
  });
}

export async function plantedBuildFile(file: keyof typeof PLANTED_FILES): Promise<Uint8Array> {
  return readFile(join(await plantedBuildDir(), PLANTED_FILES[file]));
}
