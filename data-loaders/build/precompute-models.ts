// Trains every registry model (and computes its t-SNE map and summary) and every layer's SAE sweep
// before Framework's build, one process per job and as many at once as the machine has cores:
// Framework runs data loaders one after another, so without this a build would use one core for
// all the training. A layer's SAE job starts as soon as its model is trained, so both cores stay
// busy while the CNN trains. Results land in the artifact cache, where the loaders find them.
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

export interface PrecomputeJob {
  /** "baseline-mlp", or "baseline-mlp/relu_1" for an SAE sweep; prefixes the job's log lines. */
  label: string;
  /** The script to run, relative to the project root (or absolute). */
  script: string;
  args: string[];
  /** The label of a job that must finish first, if any. */
  after: string | null;
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
 * full grids, then spatial layers, whose evaluation runs the conv layers on every test image).
 */
export function precomputeJobs(models: readonly ModelEntry[] = MODELS): PrecomputeJob[] {
  const modelJobs = models.map((m) => ({
    label: m.name,
    script: "data-loaders/models/produce-model.ts",
    args: [`--model=${m.name}`],
    after: null,
    cached: () => allCached(() => produceModel(m.name)),
  }));
  const sweeps = models.flatMap((m) => saeSweep(m).map((layer) => ({ model: m.name, ...layer })));
  sweeps.sort((a, b) => b.saes.length - a.saes.length || Number(b.spatial) - Number(a.spatial));
  const saeJobs = sweeps.map(({ model, layer }) => ({
    label: `${model}/${layer}`,
    script: "data-loaders/sae/produce-sae.ts",
    args: [`--model=${model}`, `--layer=${layer}`],
    after: model,
    cached: () => allCached(() => saeSweepFile(model, layer)),
  }));
  return [...modelJobs, ...saeJobs];
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
      else reject(new Error(`${job.after === null ? "model" : "SAE sweep"} "${job.label}": ${cause || `${job.script} exited with ${signal ?? `code ${code}`}`}`));
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
  // A job whose prerequisite is cached need not wait for it.
  const labels = new Set(toRun.map((j) => j.label));
  return toRun.map((job) => (job.after !== null && !labels.has(job.after) && jobs.some((j) => j.label === job.after) ? { ...job, after: null } : job));
}

/** Runs the jobs, each once the job it comes after has finished; returns how long each took. */
export async function runJobs(jobs: readonly PrecomputeJob[], { root, concurrency = availableParallelism(), signal, log = (line) => void process.stderr.write(`${line}\n`), env = process.env }: PrecomputeOptions): Promise<JobTiming[]> {
  const labels = new Set(jobs.map((j) => j.label));
  for (const job of jobs) if (job.after !== null && !labels.has(job.after)) throw new Error(`precompute: job "${job.label}" comes after "${job.after}", which is not a job`);
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
      const index = queue.findIndex((j) => j.after === null || done.has(j.after));
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
  const count = (list: readonly PrecomputeJob[], sweeps: boolean) => list.filter((j) => j.label.includes("/") === sweeps).length;
  const [models, layers] = [count(jobs, false), count(jobs, true)];
  const [trained, swept] = [count(toRun, false), count(toRun, true)];
  log(
    `models: ${trained} of ${models} trained and ${swept} of ${layers} layers' SAE sweeps made (the rest were in the artifact cache) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
