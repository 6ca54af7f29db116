import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loaderInputsFingerprint, refreshLoaderCache } from "../../../../data-loaders/build/loader-freshness.js";

/** A tiny project: a loader, a lib module it imports, a lockfile, a page and a dataset folder. */
function fixture() {
  const root = mkdtempSync(join(tmpdir(), "freshness-"));
  for (const dir of ["data-loaders", "src/lib", "src/data", "dataset", "src/.observablehq/cache/data", "src/.observablehq/cache/_node"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "data-loaders", "train.ts"), "export const lr = 0.01;");
  writeFileSync(join(root, "src", "lib", "model.ts"), "export const units = 32;");
  writeFileSync(join(root, "src", "data", "x.json.ts"), "import '../lib/model.js';");
  writeFileSync(join(root, "src", "index.md"), "# hi");
  writeFileSync(join(root, "package-lock.json"), "{}");
  writeFileSync(join(root, "dataset", "train-images-idx3-ubyte"), "1234");
  writeFileSync(join(root, "src", ".observablehq", "cache", "data", "x.json"), "{}");
  writeFileSync(join(root, "src", ".observablehq", "cache", "_node", "plot.js"), "//");
  return { root, env: { MNIST_DATA_DIR: join(root, "dataset") } };
}

describe("loader freshness", () => {
  test("the fingerprint changes with an imported module, the dataset, the dataset folder and the page list", async () => {
    const { root, env } = fixture();
    const base = await loaderInputsFingerprint(root, env);
    assert.equal(await loaderInputsFingerprint(root, env), base, "stable when nothing changed");
    writeFileSync(join(root, "src", "lib", "model.ts"), "export const units = 64;");
    const afterLib = await loaderInputsFingerprint(root, env);
    assert.notEqual(afterLib, base);
    writeFileSync(join(root, "dataset", "train-images-idx3-ubyte"), "12345");
    const afterData = await loaderInputsFingerprint(root, env);
    assert.notEqual(afterData, afterLib);
    writeFileSync(join(root, "src", "cnn.md"), "# new page");
    const afterPage = await loaderInputsFingerprint(root, env);
    assert.notEqual(afterPage, afterData);
    const other = join(root, "other-dataset");
    mkdirSync(other);
    assert.notEqual(await loaderInputsFingerprint(root, { MNIST_DATA_DIR: other }), afterPage);
  });

  test("a changed input drops Framework's cached loader outputs but keeps its library bundles", async () => {
    const { root, env } = fixture();
    const output = join(root, "src", ".observablehq", "cache", "data", "x.json");
    assert.equal(await refreshLoaderCache(root, env), true, "first run has no stamp");
    assert.ok(!existsSync(output));
    mkdirSync(join(root, "src", ".observablehq", "cache", "data"));
    writeFileSync(output, "{}");
    assert.equal(await refreshLoaderCache(root, env), false, "nothing changed");
    assert.ok(existsSync(output), "a fresh output is kept");
    writeFileSync(join(root, "data-loaders", "train.ts"), "export const lr = 0.1;");
    assert.equal(await refreshLoaderCache(root, env), true);
    assert.ok(!existsSync(output), "a stale output is dropped");
    assert.ok(existsSync(join(root, "src", ".observablehq", "cache", "_node", "plot.js")), "library bundles are kept");
  });
});
