// What a build leaves behind when it is interrupted or killed: its scratch folder, and
// Framework's partial loader outputs. Framework writes a loader's output to
// `.observablehq/cache/<target>.<pid>` (renamed to `<target>.<pid>.err` when the loader fails)
// and renames it into place only on success; a killed build leaves those files, and the folders
// it made for them, behind for good.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { processIsAlive } from "../lock/file-lock.js";
import { FRAMEWORK_CACHES } from "./loader-freshness.js";

/** A folder name no other build can pick: `<output>.next-<pid>-<hex>` or `<output>.previous-<pid>-<hex>`. */
export function scratchFolder(output: string, kind: "next" | "previous"): string {
  return `${output}.${kind}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** Scratch folders of `output` left by builds whose process is gone (and the old fixed names). */
export async function removeAbandonedScratchFolders(output: string): Promise<string[]> {
  const base = basename(output);
  const pattern = new RegExp(`^${base.replace(/[.]/g, "\\.")}\\.(?:next|previous)(?:-(\\d+)-[0-9a-f]{8})?$`);
  const removed: string[] = [];
  for (const name of await readdir(dirname(output))) {
    const match = pattern.exec(name);
    if (!match || (match[1] !== undefined && processIsAlive(Number(match[1])))) continue;
    await rm(join(dirname(output), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** A Framework temp output: "<target>.<pid>" or "<target>.<pid>.err", the target having an extension. */
const FRAMEWORK_TEMP = /^.+\.[^.]+\.(\d+)(?:\.err)?$/;

/**
 * Removes, under Framework's loader cache `cacheDir`, the temp outputs of Framework processes that
 * are gone and the folders left empty (Framework's own library caches are left alone: their empty
 * folders are meaningful). Returns the removed files, relative to `cacheDir`.
 */
export async function removePartialLoaderOutputs(cacheDir: string): Promise<string[]> {
  if (!existsSync(cacheDir)) return [];
  const removed: string[] = [];
  const sweep = async (dir: string, shown: string): Promise<boolean> => {
    let empty = true;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = shown ? `${shown}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (shown === "" && FRAMEWORK_CACHES.has(entry.name)) empty = false;
        else if (await sweep(path, name)) await rmdir(path);
        else empty = false;
        continue;
      }
      const temp = FRAMEWORK_TEMP.exec(entry.name);
      if (temp && !processIsAlive(Number(temp[1]))) {
        await rm(path, { force: true });
        removed.push(name);
      } else {
        empty = false;
      }
    }
    return empty;
  };
  await sweep(cacheDir, "");
  return removed;
}
