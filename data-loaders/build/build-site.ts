// `npm run build`: one build at a time per project folder (.cache/build.lock); vendor bundles,
// loader freshness, then `observable build` into a scratch folder of this build's own, which
// replaces dist/ only when the build succeeded and every file its pages reference is in it. A
// failed build ends with its cause and leaves the last good dist/ untouched; an interrupted one
// (SIGINT, SIGTERM) stops Framework and its loaders and removes what they left half-written.
import { existsSync, readdirSync, renameSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { removeAbandonedWork } from "../cache/artifact-cache.js";
import { buildVendorBundles } from "./vendor.js";
import { writeModelFilesModule } from "./model-files-module.js";
import { precomputeModels } from "./precompute-models.js";
import { refreshLoaderCache } from "./loader-freshness.js";
import { seedFrameworkNpmVersions } from "./framework-npm-versions.js";
import { acquireBuildLock } from "./build-lock.js";
import { BuildFailure } from "./build-failure.js";
import { removeAbandonedScratchFolders, removePartialLoaderOutputs, scratchFolder } from "./build-debris.js";
import { type FrameworkResult, runFrameworkBuild } from "./framework-process.js";
import { describeMissingFiles, findMissingFiles } from "./site-completeness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const output = join(root, "dist");
const loaderCache = join(root, "src", ".observablehq", "cache");

/** A build stopped by a signal; the message says what was removed. */
class BuildInterrupted extends Error {
  override name = "BuildInterrupted";
}

const note = (line: string) => void process.stderr.write(`build: ${line}\n`);
const shown = (path: string) => relative(root, path) || path;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2025-03-01 14:05:09", local time. */
function localTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Where the site in dist/ is and when it was built; null when there is none. */
function lastGoodSite(): { where: string; builtAt: string } | null {
  const index = join(output, "index.html");
  return existsSync(index) ? { where: `${shown(output)}/`, builtAt: localTime(statSync(index).mtime) } : null;
}

/** The loader that produces Framework's `target` (e.g. "/data/x.json" → "src/data/x.json.ts"). */
function loaderSource(target: string): string {
  const dir = join(root, "src", dirname(target));
  const found = existsSync(dir) ? readdirSync(dir).find((name) => name.startsWith(`${basename(target)}.`)) : undefined;
  return shown(join(dir, found ?? basename(target)));
}

/** Puts `scratch` in place of dist/. Synchronous, so no signal handler can run half-way. */
function swapIn(scratch: string): string | null {
  const previous = existsSync(output) ? scratchFolder(output, "previous") : null;
  if (previous !== null) renameSync(output, previous);
  renameSync(scratch, output);
  return previous;
}

/** Removes what an interrupted or failed build left behind; returns a description of each. */
async function removeDebris(scratch: string | null): Promise<string[]> {
  const removed: string[] = [];
  if (scratch !== null && existsSync(scratch)) {
    await rm(scratch, { recursive: true, force: true });
    removed.push(shown(scratch));
  }
  const partial = await removePartialLoaderOutputs(loaderCache);
  if (partial.length > 0)
    removed.push(`${plural(partial.length, "partial loader output")} (${partial.map((name) => shown(join(loaderCache, name))).join(", ")})`);
  // Artifact keys end in 64 hex digits: 8 are enough to tell them apart here.
  const artifacts = (await removeAbandonedWork()).map((name) => name.replace(/([0-9a-f]{8})[0-9a-f]{56}/, "$1…"));
  if (artifacts.length > 0) removed.push(`${plural(artifacts.length, "unfinished artifact file")} (${artifacts.join(", ")})`);
  return removed;
}

async function buildLocked(signal: AbortSignal): Promise<void> {
  const started = performance.now();
  let scratch: string | null = null;
  let framework: FrameworkResult | null = null;
  try {
    for (const name of await removeAbandonedScratchFolders(output)) note(`removed ${name}, left behind by an earlier build`);
    for (const name of await removePartialLoaderOutputs(loaderCache)) note(`removed ${shown(join(loaderCache, name))}, left behind by an earlier build`);
    await buildVendorBundles();
    await writeModelFilesModule(root);
    if (await refreshLoaderCache(root)) note("loader inputs changed; loaders will re-run");
    await seedFrameworkNpmVersions(join(root, "src"));
    signal.throwIfAborted();
    await precomputeModels({ root, signal });
    signal.throwIfAborted();
    scratch = scratchFolder(output, "next");
    // Framework runs .ts loaders with `tsx` from PATH: make sure ours is found, however we were started.
    const bin = join(root, "node_modules", ".bin");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
      SITE_OUTPUT_DIR: scratch,
      OBSERVABLE_TELEMETRY_DISABLE: "true",
    };
    // Its output is piped through us: keep its colors when we write to a terminal.
    if (process.stdout.isTTY && env.NO_COLOR === undefined) env.FORCE_COLOR = "1";
    framework = await runFrameworkBuild(root, env, signal);
    signal.throwIfAborted();
    if (framework.code !== 0) {
      const causes = framework.log.causes(loaderSource);
      throw new BuildFailure(causes.length > 0 ? causes : [`observable build exited with code ${framework.code} without saying why; see the messages above`]);
    }
    const missing = await findMissingFiles(scratch);
    if (missing.length > 0) {
      throw new BuildFailure([
        `the new site (${shown(scratch)}) is incomplete: ${plural(missing.length, "file")} that it references ${missing.length === 1 ? "is" : "are"} missing`,
        ...describeMissingFiles(missing).map((line) => `missing ${line}`),
      ]);
    }
    signal.throwIfAborted();
    const previous = swapIn(scratch);
    scratch = null;
    if (previous !== null) await rm(previous, { recursive: true, force: true });
    note(`site written to ${shown(output)}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    // Our last words go on a line of their own, not after a progress line cut short.
    if (framework?.log.endsMidLine) process.stderr.write("\n");
    const removed = await removeDebris(scratch);
    if (!signal.aborted) throw error;
    const site = lastGoodSite();
    const what = removed.length > 0 ? `removed ${removed.join(", ")}` : "nothing was half-written";
    const kept = site ? `kept the last good site in ${site.where} (built at ${site.builtAt})` : `there was no site in ${shown(output)}/ before`;
    throw new BuildInterrupted(`${what}; ${kept}`);
  }
}

/** Builds the site into dist/; aborting `signal` interrupts the build. */
export async function buildSite(signal: AbortSignal = new AbortController().signal): Promise<void> {
  let lock;
  try {
    lock = await acquireBuildLock(root, "build", { label: "build", signal });
  } catch (error) {
    if (!signal.aborted) throw error;
    throw new BuildInterrupted(`stopped while waiting for the build lock; nothing was changed`);
  }
  try {
    await buildLocked(signal);
  } finally {
    await lock.release();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const interrupt = new AbortController();
  // A repeated signal (a second Ctrl-C, or npm passing the first one on) changes nothing: the
  // clean-up it would cut short takes about a second.
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.on(name, () => {
      if (!interrupt.signal.aborted) interrupt.abort(name);
    });
  }
  try {
    await buildSite(interrupt.signal);
  } catch (error) {
    if (error instanceof BuildInterrupted) {
      process.stderr.write(`build interrupted (${String(interrupt.signal.reason)}): ${error.message}\n`);
      process.exit(interrupt.signal.reason === "SIGTERM" ? 143 : 130);
    }
    const causes = error instanceof BuildFailure ? error.causes : [(error as Error).message];
    for (const cause of causes) process.stderr.write(`build failed: ${cause}\n`);
    const site = lastGoodSite();
    process.stderr.write(
      site ? `the last good site in ${site.where} is unchanged (built at ${site.builtAt})\n` : "no site was written (there was none before)\n",
    );
    process.exit(1);
  }
}
