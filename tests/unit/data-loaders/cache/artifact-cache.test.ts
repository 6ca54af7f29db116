import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  allCached,
  artifactCacheRoot,
  artifactKey,
  canonicalJson,
  projectRoot,
  removeAbandonedWork,
  withArtifact,
} from "../../../../data-loaders/cache/artifact-cache.js";

const cacheModule = fileURLToPath(new URL("../../../../data-loaders/cache/artifact-cache.ts", import.meta.url));
let scratch: string;
let savedCacheDir: string | undefined;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "artifact-cache-test-"));
  savedCacheDir = process.env.ARTIFACT_CACHE_DIR;
});
after(async () => {
  if (savedCacheDir === undefined) delete process.env.ARTIFACT_CACHE_DIR;
  else process.env.ARTIFACT_CACHE_DIR = savedCacheDir;
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh, empty cache root for one test. */
async function freshCache(name: string): Promise<string> {
  const root = join(scratch, name);
  process.env.ARTIFACT_CACHE_DIR = root;
  return root;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe("artifactKey", () => {
  test("is stable, readable, and changes with config, dataset and code", async () => {
    const code = join(scratch, "code");
    await mkdir(join(code, "nested"), { recursive: true });
    await writeFile(join(code, "a.ts"), "export const a = 1;\n");
    await writeFile(join(code, "nested", "b.ts"), "export const b = 2;\n");
    const parts = { kind: "baseline-mlp", datasetChecksum: "abc123", config: { lr: 0.01, layers: [32, 16] }, codeFiles: [code] };

    const key = await artifactKey(parts);
    assert.match(key, /^baseline-mlp-[0-9a-f]{64}$/);
    assert.equal(await artifactKey(parts), key);
    assert.equal(await artifactKey({ ...parts, config: { layers: [32, 16], lr: 0.01 } }), key, "key order must not matter");
    assert.notEqual(await artifactKey({ ...parts, config: { lr: 0.02, layers: [32, 16] } }), key);
    assert.notEqual(await artifactKey({ ...parts, config: { lr: 0.01, layers: [16, 32] } }), key);
    assert.notEqual(await artifactKey({ ...parts, datasetChecksum: "abc124" }), key);
    assert.notEqual(await artifactKey({ ...parts, kind: "other" }), key.replace("baseline-mlp", "other"));

    await writeFile(join(code, "nested", "b.ts"), "export const b = 3;\n");
    const edited = await artifactKey(parts);
    assert.notEqual(edited, key, "editing a file under a code folder must change the key");
    await writeFile(join(code, "nested", "c.ts"), "");
    assert.notEqual(await artifactKey(parts), edited, "adding a file must change the key");
    await rm(join(code, "nested", "c.ts"));
    assert.equal(await artifactKey(parts), edited, "the key depends on contents, not on timestamps");
  });

  test("code paths may be files relative to the project root; a missing one is an error", async () => {
    const key = await artifactKey({ kind: "k", datasetChecksum: "d", config: null, codeFiles: ["package.json"] });
    assert.match(key, /^k-[0-9a-f]{64}$/);
    await assert.rejects(
      artifactKey({ kind: "k", datasetChecksum: "d", config: null, codeFiles: ["data-loaders/no-such-file.ts"] }),
      /code path "data-loaders\/no-such-file\.ts" does not exist/,
    );
    await assert.rejects(artifactKey({ kind: "a/b", datasetChecksum: "d", config: {}, codeFiles: [] }), /kind must be letters/);
    await assert.rejects(artifactKey({ kind: "k", datasetChecksum: "", config: {}, codeFiles: [] }), /datasetChecksum must be a non-empty string/);
  });

  test("canonicalJson sorts keys, drops undefined and refuses what JSON cannot hold", () => {
    assert.equal(canonicalJson({ b: [1, { d: true, c: null }], a: "x", u: undefined }), '{"a":"x","b":[1,{"c":null,"d":true}]}');
    assert.throws(() => canonicalJson({ lr: Number.NaN }), /config\.lr is NaN/);
    assert.throws(() => canonicalJson({ when: new Date(0) }), /config\.when is a Date/);
    assert.throws(() => canonicalJson([() => 1]), /config\[0\] is a function/);
  });
});

describe("withArtifact", () => {
  test("produces on a miss, then serves the cached folder without producing again", async () => {
    const root = await freshCache("hit-miss");
    const key = `demo-${"a".repeat(64)}`;
    const lines: string[] = [];
    let calls = 0;
    const produce = async (dir: string) => {
      calls++;
      await writeFile(join(dir, "weights.bin"), "w");
    };
    const first = await withArtifact(key, produce, { log: (l) => lines.push(l) });
    assert.equal(first, join(root, key));
    assert.equal(await readFile(join(first, "weights.bin"), "utf8"), "w");
    assert.ok(existsSync(join(first, ".complete")));
    const second = await withArtifact(key, produce, { log: (l) => lines.push(l) });
    assert.equal(second, first);
    assert.equal(calls, 1);
    assert.equal(lines[0], "artifact demo aaaaaaaa: training…");
    assert.match(lines[1], /^artifact demo aaaaaaaa: done in \d+\.\d s$/);
    assert.equal(lines[2], "artifact demo aaaaaaaa: cached");
    assert.deepEqual((await readdir(root)).sort(), [key], "no lock or temp folder may remain");
  });

  test("allCached finds cached artifacts silently and never produces a missing one", async () => {
    const root = await freshCache("find-only");
    const [hit, miss] = [`hit-${"b".repeat(64)}`, `miss-${"c".repeat(64)}`];
    await withArtifact(hit, async (dir) => writeFile(join(dir, "x"), "x"), { log: () => {} });
    const lines: string[] = [];
    let produced = 0;
    const produce = async () => void produced++;
    assert.equal(await allCached(() => withArtifact(hit, produce, { log: (l) => lines.push(l) })), true);
    assert.equal(await allCached(async () => (await withArtifact(hit, produce), await withArtifact(miss, produce))), false);
    assert.equal(produced, 0);
    assert.deepEqual(lines, []);
    assert.deepEqual(await readdir(root), [hit], "the probe created no lock or temp folder");
    // Outside the probe, production works as before; other errors pass through.
    await withArtifact(miss, produce, { log: () => {} });
    assert.equal(produced, 1);
    await assert.rejects(
      allCached(async () => Promise.reject(new Error("dataset: broken"))),
      /dataset: broken/,
    );
  });

  test("a failed produce leaves nothing behind and a later call can succeed", async () => {
    const root = await freshCache("failure");
    const key = "failing-key";
    await assert.rejects(
      withArtifact(
        key,
        async (dir) => {
          await writeFile(join(dir, "half-written.bin"), "x");
          throw new Error("training diverged");
        },
        { log: () => {} },
      ),
      /training diverged/,
    );
    assert.deepEqual(await readdir(root), []);
    const dir = await withArtifact(key, async (d) => writeFile(join(d, "ok"), "1"), { log: () => {} });
    assert.deepEqual((await readdir(dir)).sort(), [".complete", "ok"]);
  });

  test("concurrent callers in one process produce once and share the result", async () => {
    await freshCache("concurrent-promises");
    let calls = 0;
    const produce = async (dir: string) => {
      calls++;
      await sleep(300);
      await writeFile(join(dir, "value"), String(calls));
    };
    const dirs = await Promise.all([1, 2, 3].map(() => withArtifact("shared", produce, { log: () => {}, pollMs: 50 })));
    assert.equal(calls, 1);
    assert.equal(new Set(dirs).size, 1);
    assert.equal(await readFile(join(dirs[0], "value"), "utf8"), "1");
  });

  test("concurrent processes produce once", async () => {
    const root = await freshCache("concurrent-processes");
    const counter = join(scratch, "produce-count.txt");
    const script = `import { withArtifact } from ${JSON.stringify(cacheModule)};
import { appendFile, writeFile } from "node:fs/promises";
const dir = await withArtifact("cross-process", async (d) => {
  await appendFile(${JSON.stringify(counter)}, "x");
  await new Promise((r) => setTimeout(r, 800));
  await writeFile(d + "/made-by", String(process.pid));
}, { pollMs: 50, log: () => {} });
process.stdout.write(dir);`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, ARTIFACT_CACHE_DIR: root } });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`child failed (${code}): ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a, join(root, "cross-process"));
    assert.equal(b, a);
    assert.equal(await readFile(counter, "utf8"), "x", "the artifact was produced more than once");
  });

  test("a producer stopped by SIGTERM (a build whose other job failed) leaves no temp folder and no lock, and still ends by the signal", async () => {
    const root = await freshCache("terminated");
    const script = `import { withArtifact } from ${JSON.stringify(cacheModule)};
import { writeFile } from "node:fs/promises";
await withArtifact("stopped", async (d) => {
  await writeFile(d + "/half", "made");
  process.stdout.write("started");
  await new Promise((r) => setTimeout(r, 60_000));
}, { log: () => {} });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, ARTIFACT_CACHE_DIR: root } });
    const ended = new Promise<string | null>((resolve) => child.on("close", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => child.stdout.on("data", (d) => String(d).includes("started") && resolve()));
    const during = await readdir(root);
    assert.ok(during.some((name) => name.startsWith(".tmp-stopped-")) && during.includes("stopped.lock"), `while producing: ${during.join(", ")}`);
    child.kill("SIGTERM");
    assert.equal(await ended, "SIGTERM");
    assert.deepEqual(await readdir(root), []);
  });

  test("a lock left by a dead process is broken", async () => {
    const root = await freshCache("dead-lock");
    await mkdir(root, { recursive: true });
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    await writeFile(join(root, "orphan.lock"), JSON.stringify({ token: "t", pid: deadPid, host: hostname(), since: "" }));
    await mkdir(join(root, ".tmp-orphan-123-0badf00d"));
    const lines: string[] = [];
    const dir = await withArtifact("orphan", async (d) => writeFile(join(d, "f"), ""), { log: (l) => lines.push(l), pollMs: 20 });
    assert.ok(existsSync(join(dir, "f")));
    assert.match(lines.join("\n"), new RegExp(`breaking an abandoned lock \\(its process ${deadPid} is gone\\)`));
    assert.deepEqual((await readdir(root)).sort(), ["orphan"], "the dead producer's temp folder should be cleaned up");
  });

  test("a live lock is waited for; one not refreshed within staleLockMs is broken", async () => {
    const root = await freshCache("old-lock");
    await mkdir(root, { recursive: true });
    const lock = join(root, "aged.lock");
    // Held by this (live) process: only its age can make it stale.
    await writeFile(lock, JSON.stringify({ token: "t", pid: process.pid, host: hostname(), since: "" }));
    const lines: string[] = [];
    const waiting = withArtifact("aged", async (d) => writeFile(join(d, "f"), ""), { log: (l) => lines.push(l), pollMs: 20, staleLockMs: 60_000 });
    await sleep(150);
    assert.ok(lines.some((l) => l.includes("another process is producing it; waiting")));
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await waiting;
    assert.ok(lines.some((l) => /breaking an abandoned lock \(it was last refreshed \d+ s ago\)/.test(l)));
  });

  test("keys must be safe folder names", async () => {
    await freshCache("bad-keys");
    for (const key of ["../escape", "a/b", ".hidden", ""]) {
      await assert.rejects(
        withArtifact(key, async () => {}),
        /key must be a folder name/,
      );
    }
  });
});

describe("removeAbandonedWork", () => {
  test("removes dead producers' locks and temp folders, and leaves live ones alone", async () => {
    const root = await freshCache("abandoned");
    await mkdir(root, { recursive: true });
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const lock = (pid: number) => JSON.stringify({ token: "t", pid, host: hostname(), since: "" });
    await writeFile(join(root, "dead.lock"), lock(deadPid));
    await mkdir(join(root, `.tmp-dead-${deadPid}-0badf00d`));
    await writeFile(join(root, "live.lock"), lock(process.pid));
    await mkdir(join(root, `.tmp-live-${process.pid}-0badf00d`));
    // A dead producer's temp whose key a live process has locked again: that process cleans it.
    await mkdir(join(root, `.tmp-live-${deadPid}-0badf00d`));
    await mkdir(join(root, "done"));
    const removed = await removeAbandonedWork(root);
    assert.deepEqual(removed.sort(), [`.tmp-dead-${deadPid}-0badf00d`, "dead.lock"]);
    assert.deepEqual((await readdir(root)).sort(), [`.tmp-live-${deadPid}-0badf00d`, `.tmp-live-${process.pid}-0badf00d`, "done", "live.lock"].sort());
    assert.deepEqual(await removeAbandonedWork(join(root, "no-such-folder")), []);
  });
});

describe("cache location", () => {
  test("ARTIFACT_CACHE_DIR wins; otherwise <project root>/.cache/artifacts", async () => {
    process.env.ARTIFACT_CACHE_DIR = join(scratch, "custom");
    assert.equal(artifactCacheRoot(), join(scratch, "custom"));
    delete process.env.ARTIFACT_CACHE_DIR;
    assert.equal(artifactCacheRoot(), join(projectRoot(), ".cache", "artifacts"));
    assert.ok(existsSync(join(projectRoot(), "package.json")));
  });
});
