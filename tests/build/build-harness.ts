// Shared by the build tests: real builds of this project (`data-loaders/build/build-site.ts`)
// with every connection to another host blocked, and checks of what they leave on disk.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { stripAnsi } from "../../data-loaders/build/build-failure.js";
import { serveStatic } from "../../data-loaders/build/serve-static.js";
import { referencesIn, resolveReference } from "../../data-loaders/build/site-completeness.js";

export const root = resolve(import.meta.dirname, "..", "..");
export const dist = join(root, "dist");
const buildScript = join(root, "data-loaders", "build", "build-site.ts");
const guard = join(root, "tests", "offline", "block-network.mjs");

function offlineEnv(extraEnv: Record<string, string>) {
  const log = join(mkdtempSync(join(tmpdir(), "offline-")), "blocked.log");
  writeFileSync(log, "");
  return { log, env: { ...process.env, NODE_OPTIONS: `--import=${guard}`, BLOCKED_NETWORK_LOG: log, ...extraEnv } };
}

/** Runs a whole build and waits for it. `blocked` lists the connections it tried to open. */
export function offlineBuild(extraEnv: Record<string, string> = {}) {
  const { log, env } = offlineEnv(extraEnv);
  const result = spawnSync(process.execPath, ["--import", "tsx", buildScript], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ...result, blocked: readFileSync(log, "utf8") };
}

export interface RunningBuild {
  pid: number;
  /** Everything written so far to stdout and stderr. */
  output: { stdout: string; stderr: string };
  /** Resolves when it exits. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; blocked: string }>;
  /** Resolves once `pattern` appears in its stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts a build in its own process group, as a terminal would (so a signal can go to the group). */
export function startBuild(extraEnv: Record<string, string> = {}): RunningBuild {
  const { log, env } = offlineEnv(extraEnv);
  const child = spawn(process.execPath, ["--import", "tsx", buildScript], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const output = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; blocked: string }>((settle) =>
    child.on("close", (code, signal) => settle({ code, signal, blocked: readFileSync(log, "utf8") })),
  );
  const waitFor = async (pattern: RegExp, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    // Framework colors its output wherever picocolors thinks it may (CI=1 is enough): match the plain text.
    while (!pattern.test(stripAnsi(output.stdout)) && !pattern.test(stripAnsi(output.stderr))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the build never printed ${pattern}:\n${stripAnsi(output.stderr).slice(-3000)}`);
      await new Promise((wait) => setTimeout(wait, 50));
    }
  };
  return { pid: child.pid as number, output, done, waitFor };
}

/** Builds the site unless dist/ already holds one (so each test file also runs on its own). */
export function ensureSite(): void {
  if (existsSync(join(dist, "index.html"))) return;
  const result = offlineBuild();
  if (result.status !== 0) throw new Error(`the build failed:\n${result.stderr.slice(-4000)}`);
  if (result.blocked !== "") throw new Error(`the build tried to reach the network:\n${result.blocked}`);
}

/** Every file under `dir` with its bytes, by path relative to `dir`. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files
      .map((e) => join(e.parentPath, e.name))
      .sort()
      .map((path) => [path.slice(dir.length + 1), readFileSync(path)]),
  );
}

/** What a build may leave in the project folder that it should not: scratch folders, locks, temp outputs. */
export function leftovers(): string[] {
  const found = readdirSync(root).filter((name) => /^dist\.(next|previous)/.test(name));
  if (existsSync(join(root, ".cache", "build.lock"))) found.push(".cache/build.lock");
  const cache = join(root, "src", ".observablehq", "cache");
  if (existsSync(cache)) {
    // Framework's temp outputs: "<target>.<pid>", "<target>.<pid>.err".
    const temps = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.[^.]+\.\d+(\.err)?$/.test(e.name));
    found.push(...temps.map((e) => relative(root, join(e.parentPath, e.name))));
  }
  const artifacts = join(root, ".cache", "artifacts");
  if (existsSync(artifacts))
    found.push(
      ...readdirSync(artifacts)
        .filter((f) => f.startsWith(".tmp-") || f.endsWith(".lock"))
        .map((f) => `.cache/artifacts/${f}`),
    );
  return found;
}

/**
 * Serves dist/ under a sub-path and requests every file reachable from the home page, following
 * the references in each page, module and stylesheet; returns the ones that did not answer 200.
 */
export async function unservedFiles(): Promise<string[]> {
  const server = await serveStatic({ dir: dist, base: "/site/" });
  try {
    const seen = new Set<string>(["index.html"]);
    const queue = ["index.html"];
    const failed: string[] = [];
    while (queue.length > 0) {
      const path = queue.shift() as string;
      const response = await fetch(`${server.url}${path}`);
      if (response.status !== 200) {
        failed.push(`${path} (${response.status})`);
        continue;
      }
      const text = /\.(html|js|css)$/.test(path) ? await response.text() : (await response.arrayBuffer(), "");
      for (const reference of referencesIn(path, text)) {
        const target = resolveReference(path, reference);
        if (target === null) continue;
        const file = target === "" || target.endsWith("/") ? `${target}index.html` : target;
        if (seen.has(file)) continue;
        seen.add(file);
        queue.push(file);
      }
    }
    return failed;
  } finally {
    await server.close();
  }
}
