import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireBuildLock, buildLockPath, describeLockOwner } from "../../../../data-loaders/build/build-lock.js";

const lockModule = fileURLToPath(new URL("../../../../data-loaders/build/build-lock.ts", import.meta.url));

/** A process holding `root`'s build lock as `holder` until it is killed; resolves with it once the lock is taken. */
async function holdLockInChild(root: string, holder: string) {
  const script = `
    import { acquireBuildLock } from ${JSON.stringify(lockModule)};
    await acquireBuildLock(${JSON.stringify(root)}, ${JSON.stringify(holder)}, { log: () => {} });
    process.stdout.write("locked\\n");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((done, fail) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && done());
    child.on("exit", (code) => fail(new Error(`the lock holder exited with code ${code}`)));
  });
  return child;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe("build lock", () => {
  test("a second process waits, naming who holds the lock, and goes on when it is released", async () => {
    const root = mkdtempSync(join(tmpdir(), "build-lock-"));
    const holder = await holdLockInChild(root, "dev");
    const lines: string[] = [];
    let acquired = false;
    const waiting = acquireBuildLock(root, "build", { label: "build", log: (l) => lines.push(l), pollMs: 20 }).then((lock) => {
      acquired = true;
      return lock;
    });
    await sleep(300);
    assert.equal(acquired, false, "took a lock that another live process holds");
    assert.match(
      lines[0],
      new RegExp(
        `^build: waiting for the \`npm run dev\` prepare step started by pid ${holder.pid} at \\d\\d:\\d\\d:\\d\\d to finish \\(\\.cache/build\\.lock\\)$`,
      ),
    );
    holder.kill("SIGTERM");
    const lock = await waiting;
    // SIGTERM left the holder's lock behind: it is broken as the lock of a dead process.
    assert.match(
      lines.join("\n"),
      new RegExp(`breaking the lock of the \`npm run dev\` prepare step started by pid ${holder.pid} .*\\(its process ${holder.pid} is gone\\)`),
    );
    assert.equal(JSON.parse(readFileSync(buildLockPath(root), "utf8")).holder, "build");
    await lock.release();
    assert.ok(!existsSync(buildLockPath(root)));
  });

  test("a lock released normally is taken at once, with a note that the wait is over", async () => {
    const root = mkdtempSync(join(tmpdir(), "build-lock-"));
    const first = await acquireBuildLock(root, "bench", { log: () => {} });
    const lines: string[] = [];
    const second = acquireBuildLock(root, "build", { label: "build", log: (l) => lines.push(l), pollMs: 20 });
    await sleep(100);
    assert.match(lines[0], /waiting for the benchmark started by pid \d+/);
    await first.release();
    await (await second).release();
    assert.equal(lines.at(-1), "build: the lock is free; going on");
  });

  test("a lock of a dead process is broken with a note", async () => {
    const root = mkdtempSync(join(tmpdir(), "build-lock-"));
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    mkdirSync(join(root, ".cache"));
    writeFileSync(buildLockPath(root), JSON.stringify({ token: "t", pid: deadPid, host: hostname(), since: new Date().toISOString(), holder: "build" }));
    const lines: string[] = [];
    const lock = await acquireBuildLock(root, "build", { label: "build", log: (l) => lines.push(l) });
    assert.equal(lines.length, 1);
    assert.match(lines[0], new RegExp(`^build: breaking the lock of the build started by pid ${deadPid} at .* \\(its process ${deadPid} is gone\\)$`));
    await lock.release();
  });

  test("aborting stops the wait without taking the lock", async () => {
    const root = mkdtempSync(join(tmpdir(), "build-lock-"));
    const first = await acquireBuildLock(root, "build", { log: () => {} });
    const abort = new AbortController();
    const waiting = acquireBuildLock(root, "build", { log: () => {}, pollMs: 20, signal: abort.signal });
    abort.abort("SIGINT");
    await assert.rejects(waiting);
    assert.equal(JSON.parse(readFileSync(buildLockPath(root), "utf8")).pid, process.pid);
    await first.release();
  });

  test("describeLockOwner names the holder, its pid, its start time and a foreign host", () => {
    const since = new Date(2025, 0, 2, 14, 5, 9).toISOString();
    assert.equal(describeLockOwner({ token: "t", pid: 42, host: hostname(), since, holder: "build" }), "the build started by pid 42 at 14:05:09");
    assert.equal(
      describeLockOwner({ token: "t", pid: 42, host: "elsewhere", since, holder: "bench" }),
      "the benchmark started by pid 42 on host elsewhere at 14:05:09",
    );
    assert.equal(describeLockOwner(null), "a process that left an unreadable lock");
  });
});
