// Trains every registry model (and computes its t-SNE map and summary), every layer's SAE sweep
// and every model's probes before Framework's build, one process per job and as many at once as the machine has cores:
// Framework runs data loaders one after another, so without this a build would use one core for
// all the training. A layer's SAE job starts as soon as its model is trained, so both cores stay
// busy while the CNN trains; a model's probes start once its sweeps are done. Results land in the
// artifact cache, where the loaders find them.
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { MODELS, type ModelEntry } from "../../src/lib/models/registry.js";
import { saeSweep } from "../../src/lib/sae/sweep.js";
import { allCached } from "../cache/artifact-cache.js";
import { readDataset } from "../dataset/read-dataset.js";
import { BuildFailure } from "./build-failure.js";
import { produceModel } from "../models/produce-model.js";
import { saeSweepFile } from "../sae/sae-sweep-file.js";
import { probeResults } from "../probes/probe-results.js";
import { testConceptsCsv } from "../concepts/test-concepts.js";
import { groundTruthResults } from "../ground-truth/ground-truth-results.js";
import { SCORED_LAYERS } from "../../src/lib/ground-truth/scored-layers.js";
import { plantedBuildDir } from "../planted/build-run.js";

export type JobKind = "model" | "SAE sweep" | "probes" | "concepts" | "ground truth" | "planted benchmark";

export interface PrecomputeJob {
  /** "baseline-mlp", "baseline-mlp/relu_1" for an SAE sweep, "probes/baseline-mlp"; prefixes the job's log lines. */
  label: string;
  /** What it makes, for its failure message. */
  kind: JobKind;
  /** The script to run, relative to the project root (or absolute). */
  script: string;
  args: string[];
  /** The labels of the jobs that must finish first. */
  after: readonly string[];
  /** Whether everything the job would produce is in the artifact cache already (then it is skipped). */
  cached?: () => Promise<boolean>;
}

export interface PrecomputeOptions {
  root: string;
  /** Processes at once (default: the number of cores). */
  concurrency?: number;
  /** Aborting stops every job's process (an interrupted build). */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** The jobs' environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface JobTiming {
  label: string;
  seconds: number;
}

/**
 * Each model's job, then each layer's SAE sweep after its model, the longest sweeps first (the
 * full grids, then spatial layers, whose evaluation runs the conv layers on every test image),
 * then each model's probes after its sweeps (they read the SAEs' codes); the test images'
 * concepts (no model needed), and the ground-truth scores of each scored model after its scored
 * layers' sweeps and the concepts; and the planted-feature benchmark's run (synthetic data, no model).
 */
export function precomputeJobs(models: readonly ModelEntry[] = MODELS): PrecomputeJob[] {
  const modelJobs: PrecomputeJob[] = models.map((m) => ({
    label: m.name,
    kind: "model",
    script: "data-loaders/models/produce-model.ts",
    args: [`--model=${m.name}`],
    after: [],
    cached: () => allCached(() => produceModel(m.name)),
  }));
  const sweeps = models.flatMap((m) => saeSweep(m).map((layer) => ({ model: m.name, ...layer })));
  sweeps.sort((a, b) => b.saes.length - a.saes.length || Number(b.spatial) - Number(a.spatial));
  const saeJobs: PrecomputeJob[] = sweeps.map(({ model, layer }) => ({
    label: `${model}/${layer}`,
    kind: "SAE sweep",
    script: "data-loaders/sae/produce-sae.ts",
    args: [`--model=${model}`, `--layer=${layer}`],
    after: [model],
    cached: () => allCached(() => saeSweepFile(model, layer)),
  }));
  const probeJobs: PrecomputeJob[] = models.map((m) => ({
    label: `probes/${m.name}`,
    kind: "probes",
    script: "data-loaders/probes/produce-probes.ts",
    args: [`--model=${m.name}`],
    after: [m.name, ...saeJobs.filter((j) => j.after[0] === m.name).map((j) => j.label)],
    cached: () => allCached(() => probeResults(m.name)),
  }));
  const conceptsJob: PrecomputeJob = {
    label: "concepts",
    kind: "concepts",
    script: "data-loaders/concepts/produce-concepts.ts",
    args: [],
    after: [],
    cached: () => allCached(() => testConceptsCsv()),
  };
  const groundTruthJobs: PrecomputeJob[] = models
    .filter((m) => SCORED_LAYERS[m.name] !== undefined)
    .map((m) => ({
      label: `ground-truth/${m.name}`,
      kind: "ground truth",
      script: "data-loaders/ground-truth/produce-ground-truth.ts",
      args: [`--model=${m.name}`],
      after: [m.name, ...SCORED_LAYERS[m.name].map((layer) => `${m.name}/${layer}`), conceptsJob.label],
      cached: () => allCached(() => groundTruthResults(m.name)),
    }));
  const plantedJob: PrecomputeJob = {
    label: "planted",
    kind: "planted benchmark",
    script: "data-loaders/planted/produce-planted.ts",
    args: [],
    after: [],
    cached: () => allCached(() => plantedBuildDir()),
  };
  return [...modelJobs, conceptsJob, plantedJob, ...saeJobs, ...probeJobs, ...groundTruthJobs];
}

/** Runs one job's script; rejects with the job's own error message. */
function run(root: string, job: PrecomputeJob, env: NodeJS.ProcessEnv, log: (line: string) => void, running: Set<ChildProcess>): Promise<void> {
  const script = resolve(root, job.script);
  return new Promise((settle, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...job.args], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    running.add(child);
    let cause = "";
    let pending = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("error: ")) cause = line.slice("error: ".length);
        log(`[${job.label}] ${line}`);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      if (pending) log(`[${job.label}] ${pending}`);
      if (code === 0) settle();
      else reject(new Error(`${job.kind} "${job.label}": ${cause || `${job.script} exited with ${signal ?? `code ${code}`}`}`));
    });
  });
}

/**
 * The jobs whose results are not all in the artifact cache. Looking costs well under a second a
 * job in this process; starting one costs seconds (tsx, tfjs), so a warm build starts none.
 */
export async function jobsToRun(jobs: readonly PrecomputeJob[]): Promise<PrecomputeJob[]> {
  const toRun: PrecomputeJob[] = [];
  for (const job of jobs) if (!(await job.cached?.())) toRun.push(job);
  // A job need not wait for a prerequisite that is cached.
  const labels = new Set(toRun.map((j) => j.label));
  const cached = new Set(jobs.map((j) => j.label).filter((label) => !labels.has(label)));
  return toRun.map((job) => ({ ...job, after: job.after.filter((label) => !cached.has(label)) }));
}

/** Runs the jobs, each once the job it comes after has finished; returns how long each took. */
export async function runJobs(
  jobs: readonly PrecomputeJob[],
  { root, concurrency = availableParallelism(), signal, log = (line) => void process.stderr.write(`${line}\n`), env = process.env }: PrecomputeOptions,
): Promise<JobTiming[]> {
  const labels = new Set(jobs.map((j) => j.label));
  for (const job of jobs) {
    const missing = job.after.find((label) => !labels.has(label));
    if (missing !== undefined) throw new Error(`precompute: job "${job.label}" comes after "${missing}", which is not a job`);
  }
  const queue = [...jobs];
  const done = new Set<string>();
  const timings: JobTiming[] = [];
  const running = new Set<ChildProcess>();
  // Settles whenever a job finishes (or all stop), so that a worker waiting for a dependency looks again.
  let wake = () => {};
  let finished = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    finished = new Promise<void>((resolve) => (wake = resolve));
  };
  const stopAll = () => {
    queue.length = 0;
    for (const child of running) child.kill("SIGTERM");
    notify();
  };
  signal?.addEventListener("abort", stopAll, { once: true });
  const worker = async () => {
    while (queue.length > 0) {
      const index = queue.findIndex((j) => j.after.every((label) => done.has(label)));
      if (index < 0) {
        await finished;
        continue;
      }
      const [job] = queue.splice(index, 1);
      const started = performance.now();
      await run(root, job, env, log, running);
      timings.push({ label: job.label, seconds: (performance.now() - started) / 1000 });
      done.add(job.label);
      notify();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  } catch (error) {
    // One job failed (or the build was interrupted): the others need not finish.
    stopAll();
    throw error;
  } finally {
    signal?.removeEventListener("abort", stopAll);
  }
  return timings;
}

export async function precomputeModels(options: PrecomputeOptions): Promise<void> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const started = performance.now();
  // Every job reads the dataset: a broken one fails here, once, with the reader's own message.
  try {
    await readDataset();
  } catch (error) {
    throw new BuildFailure([`the dataset: ${(error as Error).message}`]);
  }
  const jobs = precomputeJobs();
  const toRun = await jobsToRun(jobs);
  options.signal?.throwIfAborted();
  await runJobs(toRun, { ...options, log });
  const count = (list: readonly PrecomputeJob[], kind: JobKind) => list.filter((j) => j.kind === kind).length;
  const made = (kind: JobKind) => `${count(toRun, kind)} of ${count(jobs, kind)}`;
  log(
    `models: ${made("model")} trained, ${made("SAE sweep")} layers' SAE sweeps, ${made("probes")} models' probes, ${made("concepts")} concept tables, ${made("ground truth")} models' ground-truth scores and ${made("planted benchmark")} planted benchmark runs made (the rest were in the artifact cache) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
