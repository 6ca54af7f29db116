// The real build, with every connection to another host blocked (the CDN and the npm registry
// alike): proves the site builds offline, and that a failed build keeps the last good site.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const guard = join(root, "tests", "offline", "block-network.mjs");

function offlineBuild(extraEnv: Record<string, string> = {}) {
  const log = join(mkdtempSync(join(tmpdir(), "offline-")), "blocked.log");
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "data-loaders", "build", "build-site.ts")], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: `--import=${guard}`, BLOCKED_NETWORK_LOG: log, ...extraEnv },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ...result, blocked: readFileSync(log, "utf8") };
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html")).map((f) => join(dir, f));
}

describe("offline build", { timeout: 40 * 60 * 1000 }, () => {
  test("builds the whole site with the network blocked", () => {
    const result = offlineBuild();
    assert.equal(result.status, 0, `build failed:\n${result.stderr.slice(-4000)}`);
    assert.equal(result.blocked, "", "the build tried to reach the network");
    const dist = join(root, "dist");
    assert.ok(existsSync(join(dist, "index.html")));
    assert.ok(!existsSync(join(dist, "_npm")), "dist/_npm exists: something was fetched from the CDN");
    for (const file of htmlFiles(dist)) {
      const html = readFileSync(file, "utf8");
      const remote = html.match(/(?:src|href)="https?:\/\/[^"]+"|from "https?:\/\/[^"]+"|import\("https?:/g);
      assert.equal(remote, null, `${file} loads remote resources: ${remote}`);
    }
  });

  test("a bad dataset fails the build with a clear error and keeps the last good site", () => {
    const index = join(root, "dist", "index.html");
    const before = readFileSync(index);
    const empty = mkdtempSync(join(tmpdir(), "no-mnist-"));
    const result = offlineBuild({ MNIST_DATA_DIR: empty });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /train-images-idx3-ubyte/);
    assert.match(result.stderr, /the last good site in .*dist is unchanged/);
    assert.deepEqual(readFileSync(index), before);
  });
});
