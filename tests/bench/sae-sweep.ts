// The SAE sweep's build time, cold: every layer's sweep job run as the build runs them
// (data-loaders/build/precompute-models.ts: one process per layer, as many at once as there are
// cores) against a scratch artifact cache that holds only the trained classifiers, copied from
// yours (trained there first if missing). Reports the total, each model's job time summed over
// its layers, and training steps/s per SAE (from the sweep files' trainSeconds), summarized per
// architecture and dictionary size. Part of what `npm run bench` can call; also runs alone:
// `npx tsx tests/bench/sae-sweep.ts` (writes every SAE's rate to bench-results/sae-sweep.json).
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { trainedModel } from "../../data-loaders/models/trained-model.js";
import { SWEEP_FILE } from "../../data-loaders/sae/sae-sweep-file.js";
import { precomputeJobs, runJobs } from "../../data-loaders/build/precompute-models.js";
import { MODELS } from "../../src/lib/models/registry.js";
import { decodeSweepFile } from "../../src/lib/sae/sweep-file.js";
import { root } from "../e2e/harness.js";
import type { BenchRow } from "./sae-training.js";

export interface SaeRate {
  model: string;
  layer: string;
  id: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The sweep file of `model`/`layer` in the artifact cache `cache`. */
async function sweepFileIn(cache: string, model: string, layer: string): Promise<ArrayBuffer> {
  const folder = (await readdir(cache)).find((name) => name.startsWith(`${model}-sae-${layer}-`) && /-[0-9a-f]{64}$/.test(name));
  if (!folder) throw new Error(`bench: no SAE sweep artifact for ${model}/${layer} in ${cache}`);
  const bytes = await readFile(join(cache, folder, SWEEP_FILE));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function benchSaeSweep(
  log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
): Promise<{ rows: BenchRow[]; saes: SaeRate[] }> {
  const cache = await mkdtemp(join(tmpdir(), "bench-sae-sweep-"));
  try {
    for (const entry of MODELS) {
      const { dir } = await trainedModel(entry.name);
      await cp(dir, join(cache, basename(dir)), { recursive: true });
    }
    const jobs = precomputeJobs().flatMap((job) => (job.kind === "SAE sweep" ? [{ ...job, after: [] }] : []));
    const concurrency = availableParallelism();
    const started = performance.now();
    const timings = await runJobs(jobs, { root, concurrency, env: { ...process.env, ARTIFACT_CACHE_DIR: cache }, log: () => {} });
    const total = (performance.now() - started) / 1000;

    const saes: SaeRate[] = [];
    for (const job of jobs) {
      const [model, layer] = job.label.split("/");
      const file = await decodeSweepFile(await sweepFileIn(cache, model, layer), `${model}/${layer}`);
      for (const sae of file.saes)
        saes.push({ model, layer, id: sae.id, steps: sae.config.steps, seconds: sae.trainSeconds, stepsPerSecond: sae.config.steps / sae.trainSeconds });
    }
    const trainingSeconds = saes.reduce((sum, s) => sum + s.seconds, 0);
    const rows: BenchRow[] = [
      {
        what: "SAE sweep, cold, all layers",
        value: total,
        unit: "s",
        note: `${saes.length} SAEs on ${jobs.length} layers, ${concurrency} processes at once; ${trainingSeconds.toFixed(0)} s of it training, summed over processes`,
      },
    ];
    for (const entry of MODELS) {
      const own = timings.filter((t) => t.label.startsWith(`${entry.name}/`));
      const count = saes.filter((s) => s.model === entry.name).length;
      rows.push({
        what: `SAE sweep, ${entry.name}`,
        value: own.reduce((sum, t) => sum + t.seconds, 0),
        unit: "s",
        note: `${count} SAEs on ${own.length} layers, job time summed over its layers`,
      });
    }
    // One row per architecture and dictionary size, over every layer and basis.
    const groups = new Map<string, SaeRate[]>();
    for (const sae of saes) {
      const kind = sae.id.split("/")[1].split("-").slice(0, 2).join(" ");
      groups.set(kind, [...(groups.get(kind) ?? []), sae]);
    }
    for (const [kind, group] of groups) {
      const rates = group.map((s) => s.stepsPerSecond);
      rows.push({
        what: `SAE training, ${kind}`,
        value: median(rates),
        unit: "steps/s",
        note: `median of ${group.length} SAEs, ${Math.min(...rates).toFixed(0)}-${Math.max(...rates).toFixed(0)}`,
      });
    }
    for (const row of rows) log(`${row.what}: ${row.value.toFixed(1)} ${row.unit} (${row.note})`);
    return { rows, saes };
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { saes } = await benchSaeSweep((line) => void process.stdout.write(`${line}\n`));
  await mkdir(join(root, "bench-results"), { recursive: true });
  await writeFile(join(root, "bench-results", "sae-sweep.json"), JSON.stringify({ date: new Date().toISOString(), saes }, null, 2));
}
