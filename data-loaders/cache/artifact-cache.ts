// A content-addressed cache of build artifacts (trained models, recorded activations, SAEs).
// Loaders are separate processes that Framework may run at the same time, and several of them
// need the same trained model: the first one to ask produces it, the others wait and reuse it,
// and any change to the dataset, the configuration or the code gives a new key (a retrain).
//
// Correctness rests on an atomic rename: an artifact is produced in a private temp folder, gets
// a `.complete` marker, and is renamed into place. The lock file only prevents duplicate work.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { link, mkdir, readFile, readdir, rename, rm, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { hostname } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface ArtifactKeyParts {
  /** What the artifact is, e.g. "baseline-mlp"; becomes the key's readable prefix. */
  kind: string;
  /** Checksum of the dataset the artifact is derived from. */
  datasetChecksum: string;
  /** Any JSON value; hashed in canonical form (object keys sorted). */
  config: unknown;
  /** Files or folders (absolute, or relative to the project root) whose contents the artifact depends on. */
  codeFiles: string[];
}

export interface WithArtifactOptions {
  /** A lock not refreshed for this long is considered abandoned (default 30 minutes). */
  staleLockMs?: number;
  /** How often a waiting process checks the lock (default 500 ms). */
  pollMs?: number;
  /** Where status notes go (default stderr). */
  log?: (line: string) => void;
}

const KEY_FORMAT = "artifact-key-v1";
const COMPLETE_MARKER = ".complete";
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HEARTBEAT_MS = 60_000;
const DEFAULT_STALE_LOCK_MS = 30 * 60_000;

/** The folder holding package.json, found upwards from this module. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`artifact cache: no package.json found above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = parent;
  }
}

/** env ARTIFACT_CACHE_DIR if set, else <project root>/.cache/artifacts. */
export function artifactCacheRoot(): string {
  const fromEnv = process.env.ARTIFACT_CACHE_DIR?.trim();
  return fromEnv ? resolve(fromEnv) : join(projectRoot(), ".cache", "artifacts");
}

/** JSON with object keys sorted, so equal configs hash equally whatever their key order. */
export function canonicalJson(value: unknown, path = "config"): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    // JSON would write NaN and Infinity as null, making different configs collide.
    if (!Number.isFinite(value)) throw new Error(`artifactKey: ${path} is ${value}; only finite numbers can be hashed`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => canonicalJson(item, `${path}[${i}]`)).join(",")}]`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, `${path}.${key}`)}`).join(",")}}`;
  }
  const type = value === undefined ? "undefined" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
  throw new Error(`artifactKey: ${path} is a ${type}; only JSON values (plain objects, arrays, strings, finite numbers, booleans, null) can be hashed`);
}

async function listFiles(absolute: string, shown: string): Promise<string[]> {
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new Error(`artifactKey: code path "${shown}" does not exist (looked at ${absolute})`);
  }
  if (info.isFile()) return [absolute];
  if (!info.isDirectory()) throw new Error(`artifactKey: code path "${shown}" is neither a file nor a folder`);
  const files: string[] = [];
  for (const entry of await readdir(absolute, { withFileTypes: true })) {
    files.push(...(await listFiles(join(absolute, entry.name), join(shown, entry.name))));
  }
  return files;
}

let tfjsCoreVersion: string | undefined;
/** The installed @tensorflow/tfjs-core version: numerics (and so artifacts) depend on it. */
export async function installedTfjsCoreVersion(): Promise<string> {
  if (tfjsCoreVersion === undefined) {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(await readFile(require.resolve("@tensorflow/tfjs-core/package.json"), "utf8")) as { version?: string };
    if (typeof manifest.version !== "string") throw new Error("artifact cache: @tensorflow/tfjs-core/package.json has no version");
    tfjsCoreVersion = manifest.version;
  }
  return tfjsCoreVersion;
}

/**
 * A hash of every file under `paths` (recursively; sorted by path relative to the project root,
 * each path hashed with its contents, so renames count as changes) and the tfjs-core version.
 */
export async function codeVersion(paths: string[]): Promise<string> {
  const root = projectRoot();
  const files = new Map<string, string>();
  for (const path of paths) {
    for (const file of await listFiles(resolve(root, path), path)) {
      files.set(relative(root, file).split(sep).join("/"), file);
    }
  }
  const hash = createHash("sha256");
  hash.update(`tfjs-core ${await installedTfjsCoreVersion()}\0`);
  for (const name of [...files.keys()].sort()) {
    const contents = await readFile(files.get(name) as string);
    hash.update(`${name}\0${contents.length}\0`);
    hash.update(contents);
  }
  return hash.digest("hex");
}

/** "<kind>-<sha256 hex>", e.g. "baseline-mlp-3fa9…"; usable as a folder name. */
export async function artifactKey(parts: ArtifactKeyParts): Promise<string> {
  if (typeof parts.kind !== "string" || !SAFE_NAME.test(parts.kind)) {
    throw new Error(`artifactKey: kind must be letters, digits, ".", "_" or "-" (not first), got ${JSON.stringify(parts.kind)}`);
  }
  if (typeof parts.datasetChecksum !== "string" || parts.datasetChecksum === "") {
    throw new Error(`artifactKey: datasetChecksum must be a non-empty string, got ${JSON.stringify(parts.datasetChecksum)}`);
  }
  if (!Array.isArray(parts.codeFiles)) throw new Error("artifactKey: codeFiles must be a list of paths");
  const digest = createHash("sha256")
    .update(
      JSON.stringify([KEY_FORMAT, parts.kind, parts.datasetChecksum, canonicalJson(parts.config), await codeVersion(parts.codeFiles)]),
    )
    .digest("hex");
  return `${parts.kind}-${digest}`;
}

/** "baseline-mlp 3fa9c1d2" for a key made by artifactKey; the key itself otherwise. */
function describeKey(key: string): string {
  const match = /^(.*)-([0-9a-f]{64})$/.exec(key);
  return match ? `${match[1]} ${match[2].slice(0, 8)}` : key;
}

interface LockOwner {
  token: string;
  pid: number;
  host: string;
  since: string;
}

function readOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    return typeof parsed.token === "string" && typeof parsed.pid === "number" && typeof parsed.host === "string" ? (parsed as LockOwner) : null;
  } catch {
    return null;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates the lock atomically with its contents (link fails if the lock exists). */
async function tryCreateLock(lockPath: string): Promise<LockOwner | null> {
  const owner: LockOwner = { token: randomBytes(12).toString("hex"), pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const draft = `${lockPath}.${owner.token}`;
  await writeFile(draft, JSON.stringify(owner));
  try {
    await link(draft, lockPath);
    return owner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** Why the lock at lockPath should be broken, or null if its holder may still be working. */
async function staleReason(lockPath: string, staleLockMs: number): Promise<{ reason: string; text: string } | null> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
  } catch {
    return null; // gone already: the next attempt will simply take it
  }
  const owner = readOwner(text);
  if (owner && owner.host === hostname() && !processIsAlive(owner.pid)) return { reason: `its process ${owner.pid} is gone`, text };
  const idle = Date.now() - mtimeMs;
  if (idle > staleLockMs) return { reason: `it was last refreshed ${Math.round(idle / 1000)} s ago`, text };
  return null;
}

async function removeLockIfStill(lockPath: string, expectedText: string): Promise<void> {
  // Re-read just before removing, so a lock taken over in between is not removed by mistake.
  const current = await readFile(lockPath, "utf8").catch(() => null);
  if (current === expectedText) await unlink(lockPath).catch(() => undefined);
}

async function removeOrphanedTemps(root: string, key: string): Promise<void> {
  // Exactly ".tmp-<key>-<pid>-<8 hex>", so that the temps of a key like "<key>-x" are left alone.
  const escaped = key.replace(/[.]/g, "\\.");
  const pattern = new RegExp(`^\\.tmp-${escaped}-\\d+-[0-9a-f]{8}$`);
  for (const name of await readdir(root)) {
    if (pattern.test(name)) await rm(join(root, name), { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * The folder holding the artifact `key`, producing it with `produce(dir)` if it is not cached.
 * `produce` writes its files into the folder it is given (a private temp folder that becomes the
 * artifact only if produce succeeds). Concurrent callers, in this or other processes, wait for
 * one producer and then reuse its result.
 */
export async function withArtifact(key: string, produce: (dir: string) => Promise<void>, options: WithArtifactOptions = {}): Promise<string> {
  if (typeof key !== "string" || !SAFE_NAME.test(key)) {
    throw new Error(`withArtifact: key must be a folder name made of letters, digits, ".", "_" or "-", got ${JSON.stringify(key)}`);
  }
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
  const pollMs = options.pollMs ?? 500;
  const label = `artifact ${describeKey(key)}`;
  const root = artifactCacheRoot();
  const finalDir = join(root, key);
  const isComplete = () => existsSync(join(finalDir, COMPLETE_MARKER));
  const lockPath = join(root, `${key}.lock`);

  if (isComplete()) {
    log(`${label}: cached`);
    return finalDir;
  }
  await mkdir(root, { recursive: true });
  let announcedWait = false;
  for (;;) {
    const owner = await tryCreateLock(lockPath);
    if (owner !== null) {
      try {
        if (isComplete()) {
          log(`${label}: cached`);
          return finalDir;
        }
        return await produceLocked(key, root, finalDir, lockPath, produce, label, log);
      } finally {
        await removeLockIfStill(lockPath, JSON.stringify(owner));
      }
    }
    if (isComplete()) {
      log(`${label}: cached (made by another process)`);
      return finalDir;
    }
    const stale = await staleReason(lockPath, staleLockMs);
    if (stale !== null) {
      log(`${label}: breaking an abandoned lock (${stale.reason})`);
      await removeLockIfStill(lockPath, stale.text);
      continue;
    }
    if (!announcedWait) {
      announcedWait = true;
      log(`${label}: another process is producing it; waiting`);
    }
    await sleep(pollMs);
  }
}

async function produceLocked(
  key: string,
  root: string,
  finalDir: string,
  lockPath: string,
  produce: (dir: string) => Promise<void>,
  label: string,
  log: (line: string) => void,
): Promise<string> {
  // Holding the lock, any temp folder for this key belongs to a producer that died.
  await removeOrphanedTemps(root, key);
  const temp = join(root, `.tmp-${key}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(temp);
  // Refresh the lock's mtime so that waiters can tell a long job from an abandoned one.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const started = performance.now();
  try {
    log(`${label}: training…`);
    await produce(temp);
    const seconds = (performance.now() - started) / 1000;
    await writeFile(join(temp, COMPLETE_MARKER), JSON.stringify({ key, seconds, finishedAt: new Date().toISOString() }));
    // A folder without the marker can only be debris (e.g. copied by hand); replace it.
    if (existsSync(finalDir) && !existsSync(join(finalDir, COMPLETE_MARKER))) await rm(finalDir, { recursive: true, force: true });
    try {
      await rename(temp, finalDir);
    } catch (error) {
      // Someone who wrongly judged our lock abandoned finished first: theirs is just as good.
      if (!existsSync(join(finalDir, COMPLETE_MARKER))) throw error;
      await rm(temp, { recursive: true, force: true });
    }
    log(`${label}: done in ${seconds.toFixed(1)} s`);
    return finalDir;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
