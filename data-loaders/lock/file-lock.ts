// A cross-process lock file: created atomically with its owner's details, broken when its owner
// is gone (same host, dead pid) or has stopped refreshing it. Shared by the artifact cache (one
// lock per artifact) and the build lock (one per project folder).
import { randomBytes } from "node:crypto";
import { link, readFile, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";

export interface LockOwner {
  token: string;
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What holds it, e.g. "build" or "dev"; absent in locks that need no description. */
  holder?: string;
}

/** A lock as found on disk: its exact text (to remove it only if unchanged), owner and age. */
export interface LockState {
  text: string;
  owner: LockOwner | null;
  mtimeMs: number;
}

/** How often a holder refreshes its lock's mtime, so that waiters can tell slow from abandoned. */
const HEARTBEAT_MS = 60_000;
/** A lock not refreshed for this long is abandoned (its owner may be on another host). */
export const DEFAULT_STALE_LOCK_MS = 30 * 60_000;

function readOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    return typeof parsed.token === "string" && typeof parsed.pid === "number" && typeof parsed.host === "string" ? (parsed as LockOwner) : null;
  } catch {
    return null;
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates the lock atomically with its contents (link fails if the lock exists); null if it exists. */
export async function tryCreateLock(lockPath: string, holder?: string): Promise<{ owner: LockOwner; text: string } | null> {
  const owner: LockOwner = { token: randomBytes(12).toString("hex"), pid: process.pid, host: hostname(), since: new Date().toISOString() };
  if (holder !== undefined) owner.holder = holder;
  const text = JSON.stringify(owner);
  const draft = `${lockPath}.${owner.token}`;
  await writeFile(draft, text);
  try {
    await link(draft, lockPath);
    return { owner, text };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** The lock at lockPath, or null if there is none (or it vanished while being read). */
export async function readLock(lockPath: string): Promise<LockState | null> {
  try {
    const [text, { mtimeMs }] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
    return { text, owner: readOwner(text), mtimeMs };
  } catch {
    return null;
  }
}

/** Why `lock` should be broken, or null if its holder may still be working. */
export function staleReason(lock: LockState, staleLockMs: number = DEFAULT_STALE_LOCK_MS): string | null {
  const { owner } = lock;
  if (owner && owner.host === hostname() && !processIsAlive(owner.pid)) return `its process ${owner.pid} is gone`;
  const idle = Date.now() - lock.mtimeMs;
  if (idle > staleLockMs) return `it was last refreshed ${Math.round(idle / 1000)} s ago`;
  return null;
}

/** Removes the lock only if it still has `expectedText`, so a lock taken over in between survives. */
export async function removeLockIfStill(lockPath: string, expectedText: string): Promise<void> {
  const current = await readFile(lockPath, "utf8").catch(() => null);
  if (current === expectedText) await unlink(lockPath).catch(() => undefined);
}

/** Refreshes the lock's mtime every `everyMs` until the returned function is called. */
export function startHeartbeat(lockPath: string, everyMs: number = HEARTBEAT_MS): () => void {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
