// One build at a time per project folder. Builds share Framework's caches under
// src/.observablehq and the loader-freshness stamp, so a second build (or `npm run dev`'s prepare
// step, or the benchmark's cache reset) waits for the first instead of racing it.
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type LockOwner, readLock, removeLockIfStill, staleReason, startHeartbeat, tryCreateLock } from "../lock/file-lock.js";

export type BuildLockHolder = "build" | "dev" | "bench";

const HOLDER_NAMES: Record<BuildLockHolder, string> = {
  build: "the build",
  dev: "the `npm run dev` prepare step",
  bench: "the benchmark",
};

export interface BuildLock {
  path: string;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

export interface AcquireBuildLockOptions {
  /** Prefix of every note, e.g. "build" (default: the holder). */
  label?: string;
  /** Where notes go (default stderr). */
  log?: (line: string) => void;
  /** How often a waiting process checks the lock (default 500 ms). */
  pollMs?: number;
  /** A lock not refreshed for this long is abandoned (default: file-lock's). */
  staleLockMs?: number;
  /** Aborting stops the wait: the promise rejects and no lock is taken. */
  signal?: AbortSignal;
}

export function buildLockPath(root: string): string {
  return join(root, ".cache", "build.lock");
}

/** "the build started by pid 123 at 14:05:09", naming the host when it is another one. */
export function describeLockOwner(owner: LockOwner | null): string {
  if (owner === null) return "a process that left an unreadable lock";
  const what = HOLDER_NAMES[owner.holder as BuildLockHolder] ?? `a process (${owner.holder ?? "unnamed"})`;
  const at = new Date(owner.since).toLocaleTimeString("en-GB", { hour12: false });
  const host = owner.host === hostname() ? "" : ` on host ${owner.host}`;
  return `${what} started by pid ${owner.pid}${host} at ${at}`;
}

/**
 * Takes the project's build lock, waiting (with a note naming the holder) while another process
 * holds it, and breaking it (with a note) when that process is gone.
 */
export async function acquireBuildLock(root: string, holder: BuildLockHolder, options: AcquireBuildLockOptions = {}): Promise<BuildLock> {
  const label = options.label ?? holder;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const pollMs = options.pollMs ?? 500;
  const path = buildLockPath(root);
  const shown = relative(root, path);
  await mkdir(dirname(path), { recursive: true });
  let announced: string | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const taken = await tryCreateLock(path, holder);
    if (taken !== null) {
      if (announced !== null) log(`${label}: the lock is free; going on`);
      const stopHeartbeat = startHeartbeat(path);
      return {
        path,
        release: async () => {
          stopHeartbeat();
          await removeLockIfStill(path, taken.text);
        },
      };
    }
    const lock = await readLock(path);
    if (lock === null) continue; // released in between: try again at once
    const stale = staleReason(lock, options.staleLockMs);
    if (stale !== null) {
      log(`${label}: breaking the lock of ${describeLockOwner(lock.owner)} (${stale})`);
      await removeLockIfStill(path, lock.text);
      continue;
    }
    if (announced !== lock.text) {
      announced = lock.text;
      log(`${label}: waiting for ${describeLockOwner(lock.owner)} to finish (${shown})`);
    }
    await sleep(pollMs, undefined, { signal: options.signal });
  }
}
