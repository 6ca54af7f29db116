// `npm run bench`: the numbers the project tracks, measured on this machine. Prints a table
// and writes bench-results/bench.json. Not a test: nothing here fails on a slow machine.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MODELS } from "../../src/lib/models/registry.js";
import type { TrainingRecord } from "../../src/lib/models/training-record.js";
import { acquireBuildLock } from "../../data-loaders/build/build-lock.js";
import { root } from "../e2e/harness.js";
import { benchCnnTraining } from "./cnn-training.js";
import { benchMlpTraining } from "./mlp-training.js";
import { benchPageCells, type CellTiming } from "./page-cells.js";
import { benchPageSettle } from "./page-settle.js";
import { benchSaeTraining } from "./sae-training.js";
import { benchSaeSweep } from "./sae-sweep.js";
import { benchSaeLive } from "./sae-live.js";
import { benchProbeLive } from "./probe-live.js";
import { benchPlantedLive } from "./planted-live.js";
import { withBenchSite } from "./bench-site.js";

interface Row {
  what: string;
  value: number;
  unit: string;
  note?: string;
}
const rows: Row[] = [];
const record = (row: Row) => {
  rows.push(row);
  process.stderr.write(
    `bench: ${row.what}: ${row.value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${row.unit}${row.note ? ` (${row.note})` : ""}\n`,
  );
};

function timedBuild(env: NodeJS.ProcessEnv, checkout = root): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", join(checkout, "data-loaders", "build", "build-site.ts")], {
    cwd: checkout,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`build failed during the benchmark:\n${result.stderr.slice(-3000)}`);
  return (performance.now() - started) / 1000;
}

/** Mean training images/s of every registry model, from the histories the cold build just wrote. */
async function variantThroughputs(artifacts: string): Promise<void> {
  for (const entry of MODELS) {
    const folder = (await readdir(artifacts)).find((name) => new RegExp(`^${entry.name}-[0-9a-f]{64}$`).test(name));
    if (!folder) continue;
    const training = JSON.parse(await readFile(join(artifacts, folder, "history.json"), "utf8")) as TrainingRecord;
    const epochs = training.history.filter((h) => h.epoch > 0);
    const mean = epochs.reduce((a, h) => a + h.imagesPerSecond, 0) / epochs.length;
    record({
      what: `training throughput, ${entry.name}, ${training.backend}`,
      value: mean,
      unit: "img/s",
      note: `mean of ${epochs.length} epochs in the cold build, 2 models training at once`,
    });
  }
}

/**
 * With env BENCH_BUILD_BEFORE=<commit>: the cold build of that commit, in a scratch git worktree
 * sharing this checkout's node_modules, to set beside this checkout's. Returns its seconds.
 */
async function coldBuildOf(commit: string): Promise<number> {
  const checkout = await mkdtemp(join(tmpdir(), "bench-before-"));
  const artifacts = await mkdtemp(join(tmpdir(), "bench-before-artifacts-"));
  const git = (...args: string[]) => {
    const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${run.stderr}`);
  };
  try {
    git("worktree", "add", "--detach", "--force", checkout, commit);
    await symlink(join(root, "node_modules"), join(checkout, "node_modules"));
    return timedBuild({ ARTIFACT_CACHE_DIR: artifacts, KERNEL_CACHE_DIR: join(checkout, ".cache", "wasm") }, checkout);
  } finally {
    git("worktree", "remove", "--force", checkout);
    await rm(artifacts, { recursive: true, force: true });
  }
}

async function buildTimes(): Promise<void> {
  const before = process.env.BENCH_BUILD_BEFORE?.trim();
  const beforeSeconds = before ? await coldBuildOf(before) : null;
  if (beforeSeconds !== null)
    record({
      what: `cold build of ${before} (before)`,
      value: beforeSeconds,
      unit: "s",
      note: "same definition: vendor bundles, all loaders, training, empty artifact cache",
    });
  // Cold: no vendor bundles, no Framework caches, an empty artifact cache (so models train).
  // The user's own artifact cache is left alone; we point the build at a scratch one.
  const artifacts = await mkdtemp(join(tmpdir(), "bench-artifacts-"));
  // Under the build lock, so that a build running meanwhile does not lose its caches half-way.
  const lock = await acquireBuildLock(root, "bench", { label: "bench" });
  try {
    await rm(join(root, "src", ".observablehq"), { recursive: true, force: true });
    await rm(join(root, "src", "vendor", ".stamp"), { force: true });
  } finally {
    await lock.release();
  }
  const cold = timedBuild({ ARTIFACT_CACHE_DIR: artifacts });
  record({ what: "cold build (vendor bundles, all loaders, training)", value: cold, unit: "s" });
  if (beforeSeconds !== null) record({ what: "cold build, before / now", value: beforeSeconds / cold, unit: "x" });
  const warm = timedBuild({ ARTIFACT_CACHE_DIR: artifacts });
  record({ what: "warm build (nothing changed)", value: warm, unit: "s" });
  await variantThroughputs(artifacts);
  await rm(artifacts, { recursive: true, force: true });
}

async function pageDownloads(): Promise<string[]> {
  const pages = ["index.html", ...(await import("../../src/lib/site-pages.js")).SITE_PAGES.map((p) => `${p.path}.html`)];
  const found: string[] = [];
  await withBenchSite(async (browser, url) => {
    for (const path of pages) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let bytes = 0;
      let requests = 0;
      // Our static server sends content-length and no compression: the bytes on the wire.
      page.on("response", (response) => {
        requests++;
        bytes += Number(response.headers()["content-length"] ?? 0);
      });
      const response = await page.goto(url + path);
      if (!response || response.status() !== 200) {
        await context.close();
        continue;
      }
      found.push(path);
      await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, undefined, { timeout: 300_000 });
      await page.waitForLoadState("networkidle");
      record({ what: `page download, ${path}`, value: bytes / 1e6, unit: "MB", note: `${requests} requests, uncompressed` });
      await context.close();
    }
  });
  return found;
}

const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
if (!skip.has("training")) {
  rows.push(...(await benchMlpTraining()));
  rows.push(...(await benchCnnTraining({ images: 60_000 })));
}
if (!skip.has("sae")) {
  for (const row of await benchSaeTraining()) record(row);
  for (const row of await benchSaeLive()) record(row);
}
if (!skip.has("probes")) for (const row of await benchProbeLive()) record(row);
if (!skip.has("planted")) for (const row of await benchPlantedLive()) record(row);
// The sweep retrains every layer's SAEs from scratch: minutes; BENCH_SKIP=sae-sweep leaves it out.
if (!skip.has("sae-sweep")) for (const row of (await benchSaeSweep()).rows) record(row);
if (!skip.has("build")) await buildTimes();
const pages = skip.has("pages") ? [] : await pageDownloads();
const cells: CellTiming[] = skip.has("cells") ? [] : await benchPageCells(pages);
for (const cell of cells) record(cell);
if (!skip.has("settle")) for (const row of await benchPageSettle(pages)) record(row);

const width = Math.max(...rows.map((r) => r.what.length));
const table = [
  `${"measurement".padEnd(width)}  ${"value".padStart(12)}  unit`,
  ...rows.map(
    (r) => `${r.what.padEnd(width)}  ${r.value.toLocaleString("en-US", { maximumFractionDigits: 1 }).padStart(12)}  ${r.unit}${r.note ? `  (${r.note})` : ""}`,
  ),
].join("\n");
process.stdout.write(`${table}\n`);
await mkdir(join(root, "bench-results"), { recursive: true });
await writeFile(join(root, "bench-results", "bench.json"), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
process.exit(0);
