// SAE training speed in Node for an 8x SAE on the baseline MLP's relu_1 (its training activations
// from the artifact cache: dIn 32, dSae 256, batch 256), per architecture: the tfjs path on the
// wasm backend, the fused WebAssembly step, and PyTorch's CPU build on one thread on the same rows
// (TopK without AuxK, and L1), in the same run. Part of what `npm run bench` can call; also runs
// alone: `npx tsx tests/bench/sae-training.ts`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { layerActivations } from "../../data-loaders/sae/layer-activations.js";
import { kernelModule } from "../../data-loaders/training/kernels/build-kernels.js";
import { initTrainingBackend } from "../../data-loaders/training/node-backend.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { SAE_ARCHITECTURES, saeConfig, type SaeArchitecture, type SaeConfigInput } from "../../src/lib/sae/config.js";
import { sparsitySettings } from "../../src/lib/sae/sweep.js";
import { trainSae } from "../../src/lib/sae/train.js";
import { runPytorch } from "./pytorch.js";

export interface BenchRow {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

const MODEL = "baseline-mlp";
const LAYER = "relu_1";
const D_SAE = 256;
const BATCH = 256;
const STEPS = 1000;

/**
 * Steps per second between the first and the last progress report, so that set-up (the
 * geometric median, the first kernel compilations) is left out.
 */
async function stepsPerSecond(architecture: SaeArchitecture, data: ActivationMatrix, kernels: WebAssembly.Module | undefined): Promise<number> {
  const { tf } = await initTrainingBackend({ backend: "wasm" });
  const config = saeConfig({
    architecture,
    dIn: data.cols,
    dSae: D_SAE,
    batchSize: BATCH,
    steps: STEPS,
    ...sparsitySettings(architecture)[0],
  } as SaeConfigInput);
  const reports: { step: number; at: number }[] = [];
  await trainSae(tf, data, config, { onProgress: (step) => void reports.push({ step, at: performance.now() }) }, { kernels });
  const first = reports[0];
  const last = reports.at(-1)!;
  return ((last.step - first.step) / (last.at - first.at)) * 1000;
}

export async function benchSaeTraining(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const { train: data } = await layerActivations(MODEL, LAYER);
  const kernels = await kernelModule();
  const rows: BenchRow[] = [];
  const shape = `${MODEL} ${LAYER}, dIn ${data.cols}, dSae ${D_SAE} (8x), batch ${BATCH}, ${STEPS} steps`;
  const record = (row: BenchRow) => {
    rows.push(row);
    log(`${row.what}: ${Number.isNaN(row.value) ? "n/a" : row.value.toFixed(2)} ${row.unit}${row.note ? ` (${row.note})` : ""}`);
  };
  const fused = new Map<SaeArchitecture, number>();
  for (const architecture of SAE_ARCHITECTURES) {
    const tfjs = await stepsPerSecond(architecture, data, undefined);
    record({ what: `SAE training, ${architecture}, tfjs wasm`, value: tfjs, unit: "steps/s", note: shape });
    const ours = await stepsPerSecond(architecture, data, kernels);
    fused.set(architecture, ours);
    record({ what: `SAE training, ${architecture}, fused wasm`, value: ours, unit: "steps/s", note: `${shape}; ${(ours / tfjs).toFixed(2)}x the tfjs path` });
  }

  const folder = await mkdtemp(join(tmpdir(), "bench-sae-"));
  try {
    const file = join(folder, "activations.f32");
    await writeFile(file, new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength));
    for (const architecture of ["topk", "l1"] as const) {
      const args = [
        "--model=sae",
        `--activations=${file}`,
        `--d-in=${data.cols}`,
        `--d-sae=${D_SAE}`,
        `--architecture=${architecture}`,
        "--k=4",
        `--steps=${STEPS}`,
      ];
      const torch = runPytorch(args);
      if ("unavailable" in torch) {
        record({
          what: `SAE training, ${architecture}, PyTorch CPU 1 thread`,
          value: Number.NaN,
          unit: "steps/s",
          note: `not available: ${torch.unavailable}`,
        });
        continue;
      }
      const value = Number(torch.result.stepsPerSecond);
      record({
        what: `SAE training, ${architecture}, PyTorch CPU 1 thread`,
        value,
        unit: "steps/s",
        note: `${shape}${architecture === "topk" ? ", no AuxK" : ""}; torch ${torch.result.torch}, BLAS ${torch.result.blas}`,
      });
      record({
        what: `SAE training, ${architecture}, fused wasm / PyTorch 1 thread`,
        value: (fused.get(architecture) as number) / value,
        unit: "x",
        note: "same run",
      });
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchSaeTraining((line) => void process.stdout.write(`${line}\n`));
}
