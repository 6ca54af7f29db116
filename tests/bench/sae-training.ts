// SAE training speed in Node, per architecture and backend (the project's wasm with its kernels,
// and cpu), for an 8x SAE on a 32-unit layer: dIn 32, dSae 256, batch 256. The inputs are
// synthetic (each a positive mix of 1-3 of 64 random directions), which is what matters for speed:
// the shape, and dead latents switching AuxK on. Part of what `npm run bench` can call; also runs
// alone: `npx tsx tests/bench/sae-training.ts`.
import { pathToFileURL } from "node:url";
import { initTrainingBackend, type TrainingBackendName } from "../../data-loaders/training/node-backend.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { gaussian, mulberry32, sampleIndices } from "../../src/lib/random.js";
import { saeConfig, type SaeArchitecture, type SaeConfigInput } from "../../src/lib/sae/config.js";
import { trainSae } from "../../src/lib/sae/train.js";

export interface BenchRow {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

const D_IN = 32;
const D_SAE = 256;
const BATCH = 256;
/** Steps timed per run; cpu is far slower. */
const STEPS: Record<TrainingBackendName, number> = { wasm: 600, cpu: 60 };

function syntheticActivations(rows: number, seed: number): ActivationMatrix {
  const random = mulberry32(seed);
  const directions = Float64Array.from({ length: 64 * D_IN }, () => gaussian(random));
  const data = new Float32Array(rows * D_IN);
  for (let r = 0; r < rows; r++) {
    for (const a of sampleIndices(64, 1 + Math.floor(random() * 3), random)) {
      const coefficient = 0.5 + random();
      for (let i = 0; i < D_IN; i++) data[r * D_IN + i] += coefficient * directions[a * D_IN + i];
    }
  }
  return { rows, cols: D_IN, data };
}

const SPARSITY: Record<SaeArchitecture, Partial<SaeConfigInput>> = {
  l1: { l1Coefficient: 2 },
  kl: { rho: 0.05, beta: 3 },
  topk: { k: 8 },
  batchtopk: { k: 8 },
};

/**
 * Steps per second between the first and the last progress report, so that set-up (the
 * geometric median, the first kernel compilations) is left out.
 */
async function stepsPerSecond(backend: TrainingBackendName, architecture: SaeArchitecture, data: ActivationMatrix): Promise<number> {
  const { tf } = await initTrainingBackend({ backend });
  const steps = STEPS[backend];
  // deadAfterInputs 4096 (16 batches) so that AuxK is on for most of a short run, as in a long one.
  const config = saeConfig({ architecture, dIn: D_IN, dSae: D_SAE, batchSize: BATCH, steps, deadAfterInputs: 4096, ...SPARSITY[architecture] } as SaeConfigInput);
  const reports: { step: number; at: number }[] = [];
  await trainSae(tf, data, config, { onProgress: (step) => void reports.push({ step, at: performance.now() }) });
  const first = reports[0];
  const last = reports.at(-1)!;
  return ((last.step - first.step) / (last.at - first.at)) * 1000;
}

export async function benchSaeTraining(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const data = syntheticActivations(16_384, 1);
  const rows: BenchRow[] = [];
  for (const backend of ["wasm", "cpu"] as const) {
    for (const architecture of ["l1", "kl", "topk", "batchtopk"] as const) {
      const value = await stepsPerSecond(backend, architecture, data);
      const row = { what: `SAE training, ${architecture}, ${backend}`, value, unit: "steps/s", note: `dIn ${D_IN}, dSae ${D_SAE}, batch ${BATCH} (${Math.round(value * BATCH).toLocaleString("en-US")} inputs/s), ${STEPS[backend]} steps` };
      rows.push(row);
      log(`${row.what}: ${value.toFixed(1)} ${row.unit} (${row.note})`);
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchSaeTraining((line) => void process.stdout.write(`${line}\n`));
}
