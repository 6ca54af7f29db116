// A content-addressed cache of build artifacts (trained models, recorded activations, SAEs).
// Loaders are separate processes that Framework may run at the same time, and several of them
// need the same trained model: the first one to ask produces it, the others wait and reuse it,
// and any change to the dataset, the configuration or the code gives a new key (a retrain).
//
// Correctness rests on an atomic rename: an artifact is produced in a private temp folder, gets
// a `.complete` marker, and is renamed into place. The lock file only prevents duplicate work.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_STALE_LOCK_MS, processIsAlive, readLock, removeLockIfStill, staleReason, startHeartbeat, tryCreateLock } from "../lock/file-lock.js";

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
    .update(JSON.stringify([KEY_FORMAT, parts.kind, parts.datasetChecksum, canonicalJson(parts.config), await codeVersion(parts.codeFiles)]))
    .digest("hex");
  return `${parts.kind}-${digest}`;
}

/** "baseline-mlp 3fa9c1d2" for a key made by artifactKey; the key itself otherwise. */
function describeKey(key: string): string {
  const match = /^(.*)-([0-9a-f]{64})$/.exec(key);
  return match ? `${match[1]} ${match[2].slice(0, 8)}` : key;
}

async function removeOrphanedTemps(root: string, key: string): Promise<void> {
  // Exactly ".tmp-<key>-<pid>-<8 hex>", so that the temps of a key like "<key>-x" are left alone.
  const escaped = key.replace(/[.]/g, "\\.");
  const pattern = new RegExp(`^\\.tmp-${escaped}-\\d+-[0-9a-f]{8}$`);
  for (const name of await readdir(root)) {
    if (pattern.test(name)) await rm(join(root, name), { recursive: true, force: true });
  }
}

/**
 * Removes what producers killed mid-way left in the cache: locks whose process is gone and the
 * temp folders of dead producers whose key no live process has locked. Returns the removed names.
 */
export async function removeAbandonedWork(root: string = artifactCacheRoot()): Promise<string[]> {
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  const names = await readdir(root);
  for (const name of names.filter((n) => n.endsWith(".lock"))) {
    const lock = await readLock(join(root, name));
    // Only a dead holder counts here, not a long silence: the holder may be training on another host.
    if (lock && staleReason(lock, Number.POSITIVE_INFINITY) !== null) {
      await removeLockIfStill(join(root, name), lock.text);
      removed.push(name);
    }
  }
  for (const name of names) {
    const temp = /^\.tmp-(.+)-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (!temp || processIsAlive(Number(temp[2])) || existsSync(join(root, `${temp[1]}.lock`))) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Set while `allCached` runs its work: withArtifact then finds, or gives up, but never produces. */
const findOnly = new AsyncLocalStorage<true>();

/** What withArtifact throws inside `allCached` when the artifact would have to be produced. */
class ArtifactNotCached extends Error {
  override name = "ArtifactNotCached";
}

/**
 * Whether `work` finds every artifact it asks withArtifact for in the cache. Runs `work` with
 * production turned off (and the "cached" notes silent): the build uses it to skip starting a
 * process for a job whose results are all there already.
 */
export async function allCached(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await findOnly.run(true, work);
    return true;
  } catch (error) {
    if (error instanceof ArtifactNotCached) return false;
    throw error;
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
    if (!findOnly.getStore()) log(`${label}: cached`);
    return finalDir;
  }
  if (findOnly.getStore()) throw new ArtifactNotCached(`${label}: not cached`);
  await mkdir(root, { recursive: true });
  let announcedWait = false;
  for (;;) {
    const taken = await tryCreateLock(lockPath);
    if (taken !== null) {
      hold(lockPath, taken.text);
      try {
        if (isComplete()) {
          log(`${label}: cached`);
          return finalDir;
        }
        return await produceLocked(key, root, finalDir, lockPath, produce, label, log);
      } finally {
        await removeLockIfStill(lockPath, taken.text);
        release(lockPath);
      }
    }
    if (isComplete()) {
      log(`${label}: cached (made by another process)`);
      return finalDir;
    }
    const lock = await readLock(lockPath);
    const stale = lock && staleReason(lock, staleLockMs);
    if (lock && stale) {
      log(`${label}: breaking an abandoned lock (${stale})`);
      await removeLockIfStill(lockPath, lock.text);
      continue;
    }
    if (!announcedWait) {
      announcedWait = true;
      log(`${label}: another process is producing it; waiting`);
    }
    await sleep(pollMs);
  }
}

/**
 * The locks this process holds and the temp folder it fills under each. A build whose other job
 * failed stops this one with SIGTERM, whose default ends the process at once; without this the
 * half-made temp and the lock would stay behind until a later build found their process gone.
 */
const held = new Map<string, { lockText: string; temp: string | null }>();

function removeHeldOnTerminate(): void {
  for (const [lockPath, { lockText, temp }] of held) {
    if (temp !== null) rmSync(temp, { recursive: true, force: true });
    try {
      if (readFileSync(lockPath, "utf8") === lockText) unlinkSync(lockPath);
    } catch {
      // Gone already.
    }
  }
  held.clear();
  process.off("SIGTERM", removeHeldOnTerminate);
  // Then end as SIGTERM would have, unless the process handles the signal itself.
  if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
}

function hold(lockPath: string, lockText: string): void {
  if (held.size === 0) process.on("SIGTERM", removeHeldOnTerminate);
  held.set(lockPath, { lockText, temp: null });
}

function release(lockPath: string): void {
  held.delete(lockPath);
  if (held.size === 0) process.off("SIGTERM", removeHeldOnTerminate);
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
  const holding = held.get(lockPath);
  if (holding) holding.temp = temp;
  // Refresh the lock's mtime so that waiters can tell a long job from an abandoned one.
  const stopHeartbeat = startHeartbeat(lockPath);
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
    stopHeartbeat();
  }
}
