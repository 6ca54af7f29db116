// Runs `observable build` as a child process: its output streams to our terminal and is read for
// the cause of a failure, and it runs in its own process group so that an interrupt stops it
// together with the data loaders it started (which would otherwise go on writing).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FrameworkLog } from "./build-failure.js";

export interface FrameworkResult {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  log: FrameworkLog;
}

/** How long the group gets to exit after SIGTERM before it is killed outright. */
const KILL_AFTER_MS = 5000;

function groupIsAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Stops the process group led by `pid`: SIGTERM, then SIGKILL if it lingers; resolves when it is gone. */
async function stopGroup(pid: number): Promise<void> {
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + KILL_AFTER_MS;
  while (groupIsAlive(pid) && Date.now() < deadline) await sleep(50);
  if (groupIsAlive(pid)) signalGroup(pid, "SIGKILL");
  while (groupIsAlive(pid)) await sleep(50);
}

/**
 * Runs `observable build` in `root` with `env`. When `signal` aborts, the whole process group is
 * stopped, and the promise resolves only once every process in it has exited.
 */
export function runFrameworkBuild(root: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<FrameworkResult> {
  const log = new FrameworkLog();
  const child = spawn(join(root, "node_modules", ".bin", "observable"), ["build"], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const [name, stream, sink] of [
    ["stdout", child.stdout, process.stdout],
    ["stderr", child.stderr, process.stderr],
  ] as const) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      sink.write(chunk);
      log.feed(name, chunk);
    });
  }
  let stopping: Promise<void> = Promise.resolve();
  const onAbort = () => {
    if (child.pid !== undefined) stopping = stopGroup(child.pid);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => {
      signal.removeEventListener("abort", onAbort);
      stopping.then(() => done({ code, log }), fail);
    });
  });
}
