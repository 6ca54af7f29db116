import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFrameworkBuild } from "../../../../data-loaders/build/framework-process.js";

/** A project whose `observable` runs `script` (sh) instead of Framework. */
function fakeProject(script: string): string {
  const root = mkdtempSync(join(tmpdir(), "fake-framework-"));
  mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(root, "node_modules", ".bin", "observable"), `#!/bin/sh\n${script}\n`);
  chmodSync(join(root, "node_modules", ".bin", "observable"), 0o755);
  return root;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("runFrameworkBuild", () => {
  test("passes the exit code on and reads the failure's cause from the output", async () => {
    const root = fakeProject(
      `printf 'copy src/data/x.json \\342\\206\\222 load /data/x.json \\342\\206\\222 [missing] '; echo "error: bad input" >&2; echo "Unexpected error: loader exited with code 1" >&2; exit 1`,
    );
    const { code, log } = await runFrameworkBuild(root, process.env, new AbortController().signal);
    assert.equal(code, 1);
    assert.deepEqual(
      log.causes((target) => `src${target}.ts`),
      ["src/data/x.json.ts: bad input"],
    );
  });

  test("aborting stops the whole process group, loaders included, before it resolves", async () => {
    // A "loader" started in the background: it would outlive a plain kill of the parent.
    const root = fakeProject(`sleep 300 & echo $! > "$PWD/loader.pid"; echo started; wait`);
    const abort = new AbortController();
    const running = runFrameworkBuild(root, process.env, abort.signal);
    const deadline = Date.now() + 5000;
    let pid = 0;
    while (Date.now() < deadline && !(pid = Number(readFileSyncOrEmpty(join(root, "loader.pid"))))) await new Promise((d) => setTimeout(d, 20));
    assert.ok(pid > 0 && alive(pid), "the fake loader did not start");
    abort.abort("SIGINT");
    const { code } = await running;
    assert.equal(code, null, "ended by a signal");
    assert.equal(alive(pid), false, "the loader survived the interrupt");
  });
});

function readFileSyncOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}
