// Trains every registry model (and computes its t-SNE map and summary) before Framework's build,
// one process per model and as many at once as the machine has cores: Framework runs data
// loaders one after another, so without this a build would use one core for all the training.
// Results land in the artifact cache, where the loaders find them.
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { MODELS } from "../../src/lib/models/registry.js";

export interface PrecomputeOptions {
  root: string;
  /** Processes at once (default: the number of cores). */
  concurrency?: number;
  /** Aborting stops every model process (an interrupted build). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Runs produce-model.ts for one model; rejects with the model's own error message. */
function produce(root: string, name: string, log: (line: string) => void, running: Set<ChildProcess>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "data-loaders", "models", "produce-model.ts"), `--model=${name}`], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    running.add(child);
    let cause = "";
    let pending = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("error: ")) cause = line.slice("error: ".length);
        log(`[${name}] ${line}`);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      if (pending) log(`[${name}] ${pending}`);
      if (code === 0) resolve();
      else reject(new Error(`model "${name}": ${cause || `produce-model exited with ${signal ?? `code ${code}`}`}`));
    });
  });
}

export async function precomputeModels({ root, concurrency = availableParallelism(), signal, log = (line) => void process.stderr.write(`${line}\n`) }: PrecomputeOptions): Promise<void> {
  const queue = MODELS.map((m) => m.name);
  const started = performance.now();
  const running = new Set<ChildProcess>();
  const stopAll = () => {
    queue.length = 0;
    for (const child of running) child.kill("SIGTERM");
  };
  signal?.addEventListener("abort", stopAll, { once: true });
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) await produce(root, name, log, running);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  } catch (error) {
    // One model failed (or the build was interrupted): the others need not finish.
    stopAll();
    throw error;
  } finally {
    signal?.removeEventListener("abort", stopAll);
  }
  log(`models: ${MODELS.length} trained or found in the cache in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
