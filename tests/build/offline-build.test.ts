// The real build, with every connection to another host blocked (the CDN and the npm registry
// alike): proves the site builds offline, and that a failed build keeps the last good site and
// ends with its cause.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dist, leftovers, offlineBuild } from "./build-harness.js";

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html"))
    .map((f) => join(dir, f));
}

describe("offline build", { timeout: 40 * 60 * 1000 }, () => {
  test("builds the whole site with the network blocked", () => {
    const result = offlineBuild();
    assert.equal(result.status, 0, `build failed:\n${result.stderr.slice(-4000)}`);
    assert.equal(result.blocked, "", "the build tried to reach the network");
    assert.ok(existsSync(join(dist, "index.html")));
    assert.ok(!existsSync(join(dist, "_npm")), "dist/_npm exists: something was fetched from the CDN");
    for (const file of htmlFiles(dist)) {
      const html = readFileSync(file, "utf8");
      const remote = html.match(/(?:src|href)="https?:\/\/[^"]+"|from "https?:\/\/[^"]+"|import\("https?:/g);
      assert.equal(remote, null, `${file} loads remote resources: ${remote}`);
    }
    assert.deepEqual(leftovers(), []);
  });

  test("a bad dataset fails the build, ending with the cause, and keeps the last good site", () => {
    const index = join(dist, "index.html");
    const before = readFileSync(index);
    const empty = mkdtempSync(join(tmpdir(), "no-mnist-"));
    const result = offlineBuild({ MNIST_DATA_DIR: empty });
    assert.equal(result.status, 1);
    const last = result.stderr.trimEnd().split("\n").slice(-2);
    assert.match(last[0], new RegExp(`^build failed: the dataset: ${empty}: expected a file named train-images-idx3-ubyte or .*, found none of them$`));
    assert.match(last[1], /^the last good site in dist\/ is unchanged \(built at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)$/);
    assert.deepEqual(readFileSync(index), before);
    assert.deepEqual(leftovers(), [], "a failed build left files behind");
  });
});
