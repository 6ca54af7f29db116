import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { LOADER_ENV_SETTINGS, loaderInputsFingerprint, refreshLoaderCache } from "../../../../data-loaders/build/loader-freshness.js";

const projectRoot = resolve(import.meta.dirname, "..", "..", "..", "..");

/** A tiny project: a loader, a lib module it imports, a lockfile, a page and a dataset folder. */
function fixture() {
  const root = mkdtempSync(join(tmpdir(), "freshness-"));
  for (const dir of ["data-loaders", "src/lib", "src/data", "dataset", "src/.observablehq/cache/data", "src/.observablehq/cache/_node"])
    mkdirSync(join(root, dir), { recursive: true });
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

  test("every environment setting a loader reads changes the fingerprint; unset and empty are the same", async () => {
    const { root, env } = fixture();
    const base = await loaderInputsFingerprint(root, env);
    assert.equal(await loaderInputsFingerprint(root, { ...env, TRAIN_BACKEND: " " }), base);
    assert.equal(await loaderInputsFingerprint(root, { ...env, UNRELATED: "x" }), base);
    for (const name of LOADER_ENV_SETTINGS.filter((n) => n !== "MNIST_DATA_DIR")) {
      assert.notEqual(await loaderInputsFingerprint(root, { ...env, [name]: "cpu" }), base, `${name} is not in the fingerprint`);
    }
  });

  test("a TRAIN_BACKEND change alone drops the cached loader outputs", async () => {
    const { root, env } = fixture();
    const output = join(root, "src", ".observablehq", "cache", "data", "x.json");
    await refreshLoaderCache(root, env);
    mkdirSync(join(root, "src", ".observablehq", "cache", "data"));
    writeFileSync(output, "{}");
    assert.equal(await refreshLoaderCache(root, { ...env, TRAIN_BACKEND: "cpu" }), true);
    assert.ok(!existsSync(output));
  });
});

/** Names of the environment variables a source file reads: process.env.X, process.env["X"], env[CONST] with CONST = "X". */
function envReads(source: string): string[] {
  const names = [...source.matchAll(/\bprocess\.env(?:\.([A-Za-z_]\w*)|\[\s*["']([^"']+)["']\s*\])/g)].map((m) => m[1] ?? m[2]);
  for (const [, constant] of source.matchAll(/\benv\[\s*([A-Z_][A-Z0-9_]*)\s*\]/g)) {
    const value = new RegExp(`\\b${constant}\\s*=\\s*["']([^"']+)["']`).exec(source);
    names.push(value ? value[1] : `${constant} (a constant whose value this test cannot find)`);
  }
  return names;
}

describe("LOADER_ENV_SETTINGS", () => {
  test("lists every environment variable the loader code reads", () => {
    // Loader code: what src/data loaders can import. data-loaders/build runs the build, not a loader.
    const folders = ["data-loaders", "src/data", "src/lib"].map((f) => join(projectRoot, f));
    const files = folders.flatMap((folder) =>
      readdirSync(folder, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !join(folder, f).startsWith(join(projectRoot, "data-loaders", "build")))
        .map((f) => join(folder, f)),
    );
    assert.ok(files.length > 20, `found only ${files.length} loader source files`);
    const reads = new Map<string, string>();
    for (const file of files) for (const name of envReads(readFileSync(file, "utf8"))) reads.set(name, relative(projectRoot, file));
    const missing = [...reads].filter(([name]) => !(LOADER_ENV_SETTINGS as readonly string[]).includes(name));
    assert.deepEqual(missing, [], "loader code reads these, but LOADER_ENV_SETTINGS in data-loaders/build/loader-freshness.ts does not list them");
    assert.deepEqual([...reads.keys()].sort(), [...LOADER_ENV_SETTINGS].sort(), "every listed setting is still read somewhere");
  });

  test("the grep sees every way the loader code reads a setting", () => {
    const source = 'const DIR_VARIABLE = "A_DIR"; env[DIR_VARIABLE]; process.env.B_MODE?.trim(); process.env["C_PATH"];';
    assert.deepEqual(envReads(source).sort(), ["A_DIR", "B_MODE", "C_PATH"]);
  });
});
