// Ctrl-C while the data loaders run: the build says what it stopped and what it kept, leaves no
// scratch folder, lock or half-written file behind, keeps dist/ as it was, and the next build
// produces the same site.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { dist, ensureSite, leftovers, offlineBuild, root, snapshot, startBuild } from "./build-harness.js";

/**
 * Framework records each data file's mtime where it registers the file: in the pages, and in any
 * module of ours that calls FileAttachment (src/generated/model-files.ts), whose built name carries
 * a hash of its contents. A loader that re-ran changes only those mtimes, and so that module's
 * name: both are set aside here, everything else must be byte for byte the same.
 */
const isOurModule = (path: string) => path.startsWith("_import/") && path.endsWith(".js");
const withoutModuleHash = (path: string) => (isOurModule(path) ? path.replace(/\.[0-9a-f]{8}\.js$/, ".js") : path);
const withoutMtimes = (text: string) => text.replace(/"lastModified":\d+/g, '"lastModified":0').replace(/(_import\/[\w./-]+?)\.[0-9a-f]{8}\.js/g, "$1.js");

function normalized(site: Map<string, Buffer>): Map<string, Buffer> {
  return new Map(
    [...site].map(([path, bytes]) => [
      withoutModuleHash(path),
      path.endsWith(".html") || isOurModule(path) ? Buffer.from(withoutMtimes(bytes.toString("utf8"))) : bytes,
    ]),
  );
}

function assertSameSite(after: Map<string, Buffer>, before: Map<string, Buffer>, what: string): void {
  const [now, then] = [normalized(after), normalized(before)];
  assert.deepEqual([...now.keys()].sort(), [...then.keys()].sort(), `${what}: the file list differs`);
  for (const [path, bytes] of then) assert.ok((now.get(path) as Buffer).equals(bytes), `${what}: ${path} differs`);
}

const groupIsGone = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
};

describe("interrupted build", { timeout: 10 * 60 * 1000 }, () => {
  before(ensureSite);

  test("SIGINT while loaders run: a message, exit code 130, no debris, dist/ unchanged; the next build gives the same site", async () => {
    const site = snapshot(dist);
    // Without the stamp, the build drops the loaders' cached outputs and runs them all again.
    rmSync(join(root, "src", ".observablehq", "loader-inputs.sha256"), { force: true });
    const build = startBuild();
    await build.waitFor(/load \/data\/\S+ \u2192 \[missing\] /);
    await new Promise((wait) => setTimeout(wait, 500)); // let the loader get going
    process.kill(-build.pid, "SIGINT"); // what Ctrl-C in a terminal does: the whole foreground group
    const result = await build.done;

    assert.equal(result.code, 130, `exit code ${result.code}:\n${build.output.stderr.slice(-3000)}`);
    const last = build.output.stderr.trimEnd().split("\n").at(-1) as string;
    assert.match(
      last,
      /^build interrupted \(SIGINT\): removed dist\.next-\d+-[0-9a-f]{8}(, .*)?; kept the last good site in dist\/ \(built at [\d-]+ [\d:]+\)$/,
    );
    assert.ok(groupIsGone(build.pid), "processes of the interrupted build are still running");
    assert.deepEqual(leftovers(), [], "the interrupted build left files behind");
    assert.deepEqual(snapshot(dist), site, "the interrupted build changed dist/");

    const next = offlineBuild();
    assert.equal(next.status, 0, `the next build failed:\n${next.stderr.slice(-3000)}`);
    assert.deepEqual(leftovers(), []);
    assertSameSite(snapshot(dist), site, "the next build");
  });
});
