import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describeMissingFiles, findMissingFiles, referencesIn, resolveReference } from "../../../../data-loaders/build/site-completeness.js";

const attachment = (path: string) => JSON.stringify({ name: "./data/x.json", mimeType: "application/json", path, lastModified: 1, size: 2 });

/** A tiny site written the way Framework writes one: every kind of reference, each to its own file. */
const SITE: Record<string, string> = {
  "index.html": `<!DOCTYPE html>
<link rel="stylesheet" type="text/css" href="./_import/style.abc.css">
<link rel="modulepreload" href="./_observablehq/client.abc.js">
<link rel="icon" href="data:,">
<script type="module">
import {define} from "./_observablehq/client.abc.js";
registerFile("./data/x.json", ${attachment("./_file/data/x.abc.json")});
define({id: "1", body: async () => {
  const [{chart}] = await Promise.all([import("./_import/components/chart.abc.js")]);
  display(html\`<a href="./\${page}.html">\${page}</a>\`);
}});
</script>
<a href="./">Home</a> <a href="./docs/guide.html#top">Guide</a> <a href="https://example.org/x.js">out</a> <a href="#section">here</a>
`,
  "docs/guide.html": `<a href="../index.html">up</a><img src="/_file/img/logo.abc.png">`,
  "_import/style.abc.css": `body { background: url("../_file/img/bg.abc.png"); } i { background: url(data:image/png;base64,AA==); }`,
  "_observablehq/client.abc.js": `import{x}from"./runtime.abc.js";export const lazy=()=>import("./stdlib/duckdb.js");`,
  "_observablehq/runtime.abc.js": "export const x = 1;",
  "_import/components/chart.abc.js": `import * as Plot from "../../_node/plot@1/index.abc.js";
import "./side-effect.abc.js";
export const wasm = await FileAttachment(${attachment("../../_file/vendor/a.abc.wasm")}, import.meta.url).url();
const worker = import.meta.resolve("../workers/w.abc.js");
export { chart } from "./impl.abc.js";`,
  "_import/components/side-effect.abc.js": "",
  "_import/components/impl.abc.js": "export const chart = 1; // imports from 'd3' are bare: import * as d3 from \"d3\";",
  "_import/workers/w.abc.js": "",
  "_node/plot@1/index.abc.js": `import{a}from"../d3@7/index.abc.js";`,
  "_node/d3@7/index.abc.js": "export const a = 1;",
  "_file/data/x.abc.json": "{}",
  "_file/vendor/a.abc.wasm": "",
  "_file/img/logo.abc.png": "",
  "_file/img/bg.abc.png": "",
};

function writeSite(skip: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "site-"));
  for (const [path, text] of Object.entries(SITE)) {
    if (skip.includes(path)) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("site completeness", () => {
  test("a complete site has nothing missing, whatever kinds of references it uses", async () => {
    const dir = writeSite();
    assert.deepEqual(await findMissingFiles(dir), []);
    rmSync(dir, { recursive: true });
  });

  const cases: [string, string[]][] = [
    ["_import/style.abc.css", ["index.html"]],
    ["_observablehq/client.abc.js", ["index.html"]],
    ["_observablehq/runtime.abc.js", ["_observablehq/client.abc.js"]],
    ["_file/data/x.abc.json", ["index.html"]],
    ["_import/components/chart.abc.js", ["index.html"]],
    ["_node/plot@1/index.abc.js", ["_import/components/chart.abc.js"]],
    ["_import/components/side-effect.abc.js", ["_import/components/chart.abc.js"]],
    ["_import/components/impl.abc.js", ["_import/components/chart.abc.js"]],
    ["_file/vendor/a.abc.wasm", ["_import/components/chart.abc.js"]],
    ["_import/workers/w.abc.js", ["_import/components/chart.abc.js"]],
    ["_node/d3@7/index.abc.js", ["_node/plot@1/index.abc.js"]],
    ["_file/img/logo.abc.png", ["docs/guide.html"]],
    ["_file/img/bg.abc.png", ["_import/style.abc.css"]],
    ["docs/guide.html", ["index.html"]],
    ["index.html", ["(the site's home page)", "docs/guide.html"]],
  ];
  for (const [removed, referencedBy] of cases) {
    test(`a removed ${removed} is reported with the files that reference it`, async () => {
      const dir = writeSite([removed]);
      assert.deepEqual(await findMissingFiles(dir), [{ path: removed, referencedBy }]);
      rmSync(dir, { recursive: true });
    });
  }

  test("several missing files: one line each, sorted, naming every referrer", async () => {
    const dir = writeSite(["_file/data/x.abc.json", "_node/d3@7/index.abc.js"]);
    assert.deepEqual(describeMissingFiles(await findMissingFiles(dir)), [
      "_file/data/x.abc.json (referenced by index.html)",
      "_node/d3@7/index.abc.js (referenced by _node/plot@1/index.abc.js)",
    ]);
    rmSync(dir, { recursive: true });
  });

  test("library code's dynamic imports are optional; our modules' are not", () => {
    const code = `import{x}from"./a.js";import("./optional.js");`;
    assert.deepEqual(referencesIn("_observablehq/client.js", code), ["./a.js"]);
    assert.deepEqual(referencesIn("_npm/lib@1/index.js", code), ["./a.js"]);
    assert.deepEqual(referencesIn("_import/lib/x.js", code).sort(), ["./a.js", "./optional.js"]);
  });

  test("references resolve against the referencing file; templates and outside paths are handled", () => {
    assert.equal(resolveReference("docs/guide.html", "../_file/x.json?v=1#a"), "_file/x.json");
    assert.equal(resolveReference("docs/guide.html", "/_file/x.json"), "_file/x.json");
    assert.equal(resolveReference("index.html", "./"), "");
    assert.equal(resolveReference("index.html", "./_node/%40scope/x.js"), "_node/@scope/x.js");
    assert.equal(resolveReference("index.html", "./${page}.html"), null);
    assert.equal(resolveReference("index.html", "../outside.js"), "../outside.js");
  });

  test("a reference outside the site is missing", async () => {
    const dir = writeSite();
    writeFileSync(join(dir, "_import", "escape.js"), `import "../../outside.js";`);
    assert.deepEqual(await findMissingFiles(dir), [{ path: "../outside.js", referencedBy: ["_import/escape.js"] }]);
    rmSync(dir, { recursive: true });
  });
});
