// Bundles the browser libraries that Framework cannot bundle offline (see DESIGN.md,
// "Framework offline") into self-contained ES modules under src/vendor/.
// tfjs and all its backends go into ONE bundle so the page has exactly one tfjs-core.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { kernelBinary } from "../training/kernels/build-kernels.js";
import { TRAINING_KERNELS } from "../../src/lib/wasm/kernels.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const vendorDir = join(root, "src", "vendor");
const require = createRequire(join(root, "package.json"));

/** Each bundle: the module source esbuild starts from. */
const bundles: Record<string, string> = {
  "tfjs.js": [
    'export * from "@tensorflow/tfjs";',
    'import "@tensorflow/tfjs-backend-webgpu";',
    'export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";',
  ].join("\n"),
  "arquero.js": 'export * from "arquero";',
  "umap.js": 'export { UMAP } from "umap-js";',
};

const wasmFiles = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

/** A stamp of the installed versions: bundles are rebuilt only when it changes. */
async function dependencyStamp(): Promise<string> {
  const lock = await readFile(join(root, "package-lock.json"));
  const self = await readFile(fileURLToPath(import.meta.url));
  return createHash("sha256").update(lock).update(self).digest("hex");
}

/** Writes the compiled kernels into src/vendor/ when they differ from what is there (compiled offline if needed). */
async function copyTrainingKernels(): Promise<void> {
  const binary = await kernelBinary();
  // The project's SIMD training kernels, for the pages' fused wasm paths (live SAE training, live probes).
  const path = join(vendorDir, TRAINING_KERNELS);
  const current = existsSync(path) ? await readFile(path) : null;
  if (current !== null && Buffer.compare(current, binary) === 0) return;
  await mkdir(vendorDir, { recursive: true });
  await writeFile(`${path}.tmp`, binary);
  await rename(`${path}.tmp`, path);
}

export async function buildVendorBundles({ force = false } = {}): Promise<void> {
  await copyTrainingKernels();
  const stampPath = join(vendorDir, ".stamp");
  const stamp = await dependencyStamp();
  const upToDate =
    !force &&
    existsSync(stampPath) &&
    (await readFile(stampPath, "utf8")) === stamp &&
    [...Object.keys(bundles), ...wasmFiles].every((f) => existsSync(join(vendorDir, f)));
  if (upToDate) return;
  await mkdir(vendorDir, { recursive: true });
  for (const [file, contents] of Object.entries(bundles)) {
    const started = performance.now();
    const out = join(vendorDir, file);
    await build({
      stdin: { contents, resolveDir: root, loader: "js", sourcefile: `vendor-${file}` },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      legalComments: "none",
      outfile: out + ".tmp",
      logLevel: "error",
      // tfjs-backend-wasm mentions Node modules behind runtime checks it never takes in a browser.
      external: ["fs", "path", "worker_threads", "perf_hooks", "os", "crypto"],
      define: { "process.env.NODE_ENV": '"production"' },
    });
    await rename(out + ".tmp", out);
    process.stderr.write(`vendor: ${file} in ${Math.round(performance.now() - started)} ms\n`);
  }
  const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  for (const f of wasmFiles) await copyFile(join(wasmDir, f), join(vendorDir, f));
  await writeFile(stampPath, stamp);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildVendorBundles({ force: process.argv.includes("--force") });
}
