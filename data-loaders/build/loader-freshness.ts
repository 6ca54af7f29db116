// Framework re-runs a data loader only when the loader file itself is newer than its cached
// output, and `observable build` even reuses a stale output. Loaders here import shared modules,
// read a dataset chosen by MNIST_DATA_DIR and obey other environment settings, so we fingerprint
// everything a loader can depend on and drop Framework's cached loader outputs when that
// fingerprint changes. (The expensive part, training, has its own content-addressed cache in
// .cache/artifacts and is not lost.)
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { resolveDatasetSource } from "../dataset/read-dataset.js";

/** Framework's own caches of bundled libraries: independent of our loaders. */
export const FRAMEWORK_CACHES = new Set(["_node", "_npm", "_jsr", "_observablehq", "_build.json"]);

/**
 * Every environment variable that loader code reads (data-loaders/, src/data/, src/lib/):
 * the dataset folder, the training backend, the artifact and compiled-kernel caches. A unit test greps
 * the loader code and fails when one is missing here.
 */
export const LOADER_ENV_SETTINGS = ["MNIST_DATA_DIR", "TRAIN_BACKEND", "ARTIFACT_CACHE_DIR", "KERNEL_CACHE_DIR"] as const;

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.parentPath.includes(".observablehq"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A hash of every input a data loader can read: code, lockfile, environment, dataset and page list. */
export async function loaderInputsFingerprint(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const hash = createHash("sha256");
  const codeFiles = [
    ...(await listFiles(join(root, "data-loaders"))),
    ...(await listFiles(join(root, "src", "lib"))),
    ...(await listFiles(join(root, "src", "data"))),
    join(root, "package-lock.json"),
  ];
  for (const file of codeFiles) {
    hash
      .update(relative(root, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  }
  // The list of pages (the index links only pages that exist).
  const pages = (await readdir(join(root, "src"))).filter((f) => f.endsWith(".md")).sort();
  hash.update(pages.join("\n"));
  // Unset and empty mean the same to every loader ("use the default").
  for (const name of LOADER_ENV_SETTINGS) hash.update(`env ${name}=${env[name]?.trim() ?? ""}\n`);
  // The dataset: which folder, and the size and mtime of each file in it.
  const { dir } = resolveDatasetSource(env);
  hash.update(`dataset:${dir}`);
  for (const file of await listFiles(dir)) {
    const { size, mtimeMs } = await stat(file);
    hash.update(`${relative(dir, file)}:${size}:${mtimeMs}`);
  }
  return hash.digest("hex");
}

/** Drops Framework's cached loader outputs if any loader input changed since the last run. */
export async function refreshLoaderCache(root: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const cacheDir = join(root, "src", ".observablehq", "cache");
  const stampPath = join(root, "src", ".observablehq", "loader-inputs.sha256");
  const fingerprint = await loaderInputsFingerprint(root, env);
  const previous = existsSync(stampPath) ? await readFile(stampPath, "utf8") : null;
  if (previous === fingerprint) return false;
  if (existsSync(cacheDir)) {
    for (const entry of await readdir(cacheDir)) {
      if (!FRAMEWORK_CACHES.has(entry)) await rm(join(cacheDir, entry), { recursive: true, force: true });
    }
  }
  await mkdir(join(root, "src", ".observablehq"), { recursive: true });
  await writeFile(stampPath, fingerprint);
  return true;
}
