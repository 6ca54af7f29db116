// The completeness check on the real built site: it finds nothing missing in dist/, and finds
// exactly the files removed from a copy of it, with the pages and modules that reference them.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findMissingFiles } from "../../data-loaders/build/site-completeness.js";
import { dist, ensureSite } from "./build-harness.js";

/** The one file in `folder` (relative to the site) whose name starts with `prefix`. */
function builtFile(site: string, folder: string, prefix: string): string {
  const found = readdirSync(join(site, folder)).filter((name) => name.startsWith(prefix));
  assert.equal(found.length, 1, `expected one ${folder}/${prefix}* in the built site, found ${found.join(", ") || "none"}`);
  return `${folder}/${found[0]}`;
}

describe("site completeness on the built site", () => {
  before(ensureSite);

  test("the built site is complete", async () => {
    assert.deepEqual(await findMissingFiles(dist), []);
  });

  test("files removed from a copy of it are reported with what references them", async () => {
    const copy = join(mkdtempSync(join(tmpdir(), "site-copy-")), "dist");
    cpSync(dist, copy, { recursive: true });
    const removed = {
      stylesheet: builtFile(copy, "_import", "style."),
      wasm: builtFile(copy, "_file/vendor", "tfjs-backend-wasm-simd."),
      data: builtFile(copy, "_file/data", "manifest."),
      module: builtFile(copy, "_node/d3-color@3.1.1", "index."),
    };
    for (const path of Object.values(removed)) rmSync(join(copy, path));
    const missing = new Map((await findMissingFiles(copy)).map(({ path, referencedBy }) => [path, referencedBy]));
    assert.deepEqual([...missing.keys()].sort(), Object.values(removed).sort());
    assert.ok(missing.get(removed.stylesheet)?.includes("index.html"));
    assert.ok(missing.get(removed.data)?.includes("index.html"), "a FileAttachment registered by the page");
    assert.ok(
      missing.get(removed.wasm)?.some((by) => by.startsWith("_import/runtime/tf.")),
      "a FileAttachment in a module",
    );
    assert.ok(
      missing.get(removed.module)?.some((by) => by.startsWith("_node/d3-interpolate@")),
      "a static import between modules",
    );
    rmSync(copy, { recursive: true });
  });
});
