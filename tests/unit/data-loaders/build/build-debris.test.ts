import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { removeAbandonedScratchFolders, removePartialLoaderOutputs, scratchFolder } from "../../../../data-loaders/build/build-debris.js";

const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("build debris", () => {
  test("scratch folders are unique to the build and name its pid", () => {
    const a = scratchFolder("/p/dist", "next");
    assert.match(a, new RegExp(`^/p/dist\\.next-${process.pid}-[0-9a-f]{8}$`));
    assert.notEqual(scratchFolder("/p/dist", "next"), a);
    assert.match(scratchFolder("/p/dist", "previous"), /^\/p\/dist\.previous-\d+-[0-9a-f]{8}$/);
  });

  test("scratch folders of dead builds (and the old fixed names) are removed; live ones and others stay", async () => {
    const root = mkdtempSync(join(tmpdir(), "debris-"));
    const dead = deadPid();
    const live = basename(scratchFolder(join(root, "dist"), "next"));
    for (const name of [
      "dist",
      `dist.next-${dead}-0badf00d`,
      `dist.previous-${dead}-0badf00d`,
      "dist.next",
      "dist.previous",
      live,
      "dist.nextish",
      "other.next-1-0badf00d",
    ]) {
      mkdirSync(join(root, name));
    }
    const removed = await removeAbandonedScratchFolders(join(root, "dist"));
    assert.deepEqual(removed.sort(), ["dist.next", `dist.next-${dead}-0badf00d`, "dist.previous", `dist.previous-${dead}-0badf00d`].sort());
    assert.deepEqual(readdirSync(root).sort(), ["dist", "dist.nextish", live, "other.next-1-0badf00d"].sort());
  });

  test("Framework's temp outputs of dead processes and the folders left empty are removed", async () => {
    const cache = join(mkdtempSync(join(tmpdir(), "debris-")), "cache");
    const dead = deadPid();
    const write = (path: string) => {
      mkdirSync(dirname(join(cache, path)), { recursive: true });
      writeFileSync(join(cache, path), "");
    };
    write(`data/baseline-mlp/history.json.${dead}`); // killed mid-write: its folder ends up empty
    write(`data/manifest.json.${dead}.err`); // a failed loader's output
    write("data/manifest.json"); // a finished output
    write(`data/site-pages.json.${process.pid}`); // being written by a live process
    write("data/v1.2024"); // an output whose name only looks like a temp
    mkdirSync(join(cache, "_npm", "react@19.3.1"), { recursive: true }); // Framework's seeded version folders are empty on purpose
    write("_node/d3@7/index.js");
    const removed = await removePartialLoaderOutputs(cache);
    assert.deepEqual(removed.sort(), [`data/baseline-mlp/history.json.${dead}`, `data/manifest.json.${dead}.err`]);
    assert.ok(!existsSync(join(cache, "data", "baseline-mlp")), "an emptied folder stays behind");
    assert.deepEqual(
      files(cache),
      [
        "_node",
        "_node/d3@7",
        "_node/d3@7/index.js",
        "_npm",
        "_npm/react@19.3.1",
        "data",
        "data/manifest.json",
        `data/site-pages.json.${process.pid}`,
        "data/v1.2024",
      ].sort(),
    );
    assert.deepEqual(await removePartialLoaderOutputs(join(cache, "missing")), []);
  });
});
