// Which source files an artifact's numbers can depend on: the producing module and everything it
// imports, transitively, read from esbuild's metafile (the bundler Framework already ships), plus
// the files a module reads at run time without importing them. A cache key built from this cannot
// miss a file the way a hand-written list can. Packages count through their versions (the
// tfjs-core version in codeVersion, the AssemblyScript compiler's package.json), not file by file.
import { build } from "esbuild";
import { relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "./artifact-cache.js";
import { KERNEL_CODE } from "../training/kernels/build-kernels.js";

/**
 * Files a module reads without importing them: the kernels' compiler compiles the AssemblyScript
 * sources (in KERNEL_CODE's folders) with the compiler whose version its package.json gives.
 */
const READ_AT_RUN_TIME: Readonly<Record<string, readonly string[]>> = {
  "data-loaders/training/kernels/build-kernels.ts": KERNEL_CODE,
};

/** The cache's own machinery (keys, locks) stores numbers but computes none: editing it must not retrain. */
const NOT_PRODUCING = ["data-loaders/cache/", "data-loaders/lock/"];

const graphs = new Map<string, Promise<string[]>>();

const projectPath = (file: string) => relative(projectRoot(), file).split(sep).join("/");

/**
 * The project files (relative to the root, "/"-separated, sorted) that `entry` imports,
 * transitively, itself included; `entry` is a path from the project root or a file: URL (a
 * module's import.meta.url). Computed once per entry and process.
 */
export function importedFiles(entry: string): Promise<string[]> {
  const root = projectRoot();
  const file = entry.startsWith("file:") ? fileURLToPath(entry) : resolve(root, entry);
  const name = projectPath(file);
  let graph = graphs.get(name);
  if (graph === undefined) {
    graph = build({
      entryPoints: [file],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    }).then(
      ({ metafile }) =>
        Object.keys(metafile.inputs)
          .filter((input) => !input.includes("node_modules/"))
          .sort(),
      (error: Error) => {
        throw new Error(`importedFiles: esbuild could not follow the imports of ${name}: ${error.message}`);
      },
    );
    graphs.set(name, graph);
  }
  return graph;
}

/**
 * An artifact's code version input for artifactKey's codeFiles: the producing module's import
 * graph without the cache's machinery, and what its modules read at run time.
 */
export async function producerCode(entry: string): Promise<string[]> {
  const files = (await importedFiles(entry)).filter((file) => !NOT_PRODUCING.some((folder) => file.startsWith(folder)));
  return [...files, ...files.flatMap((file) => READ_AT_RUN_TIME[file] ?? [])];
}
