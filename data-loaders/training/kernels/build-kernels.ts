// Compiles the AssemblyScript training kernels (./assembly) to WebAssembly with the pinned
// compiler from node_modules, offline, once per version of the sources: the binary is kept in
// .cache/wasm/<hash>.wasm, where the hash covers the sources, the compiler version and its flags.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../../cache/artifact-cache.js";
import { checkKernelBinary } from "./kernel-binary.js";

export const KERNEL_SOURCE_DIR = fileURLToPath(new URL("./assembly/", import.meta.url));

/**
 * What trained numbers depend on here, relative to the project root, for artifact cache keys:
 * the kernels with their AssemblyScript sources and build flags, the workspace the fused steps run
 * them in, and the compiler's version.
 */
export const KERNEL_CODE = ["data-loaders/training/kernels", "src/lib/wasm", "node_modules/assemblyscript/package.json"] as const;
const ENTRY = "index.ts";

/**
 * Baseline SIMD (no relaxed FMA, so rounding is the same on every machine), no runtime beyond a
 * stub that is never called, and tfjs-backend-wasm's heap as the module's memory.
 */
const ASC_FLAGS = ["--enable", "simd", "-O3", "--noAssert", "--runtime", "stub", "--importMemory", "--use", "abort="] as const;

/** <project root>/.cache/wasm, or env KERNEL_CACHE_DIR. */
function kernelCacheDir(): string {
  const fromEnv = process.env.KERNEL_CACHE_DIR?.trim();
  return fromEnv ? fromEnv : join(projectRoot(), ".cache", "wasm");
}

async function compilerVersion(): Promise<string> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(import.meta.url).resolve("assemblyscript/package.json");
  } catch {
    throw new Error("training kernels: the AssemblyScript compiler is not installed (devDependency assemblyscript; run npm ci without --omit=dev)");
  }
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { version?: string };
  if (typeof manifest.version !== "string") throw new Error("training kernels: assemblyscript/package.json has no version");
  return manifest.version;
}

async function sourceFiles(): Promise<string[]> {
  return (await readdir(KERNEL_SOURCE_DIR)).filter((name) => name.endsWith(".ts")).sort();
}

/** A hex digest of everything the binary depends on. */
export async function kernelSourceHash(): Promise<string> {
  const hash = createHash("sha256").update(`assemblyscript ${await compilerVersion()}\0${ASC_FLAGS.join(" ")}\0`);
  for (const name of await sourceFiles()) {
    const contents = await readFile(join(KERNEL_SOURCE_DIR, name));
    hash.update(`${name}\0${contents.length}\0`).update(contents);
  }
  return hash.digest("hex");
}

async function compile(): Promise<Uint8Array<ArrayBuffer>> {
  const { default: asc } = await import("assemblyscript/asc");
  let binary: Uint8Array<ArrayBuffer> | undefined;
  let diagnostics = "";
  const output = { write: (chunk: Uint8Array | string) => void (diagnostics += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")) };
  const { error } = await asc.main([join(KERNEL_SOURCE_DIR, ENTRY), "--outFile", "kernels.wasm", ...ASC_FLAGS], {
    stdout: output,
    stderr: output,
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith(".wasm") && typeof contents !== "string") binary = new Uint8Array(contents);
    },
  });
  if (error !== null || binary === undefined) {
    throw new Error(`training kernels: asc failed to compile ${KERNEL_SOURCE_DIR}: ${error?.message ?? "no binary written"}\n${diagnostics}`);
  }
  return binary;
}

/**
 * The compiled kernels: read from the cache, or compiled and cached. Concurrent builds (loaders
 * run in parallel) each write a private file and rename it into place, so readers never see a
 * partial binary.
 */
export async function kernelBinary(): Promise<Uint8Array<ArrayBuffer>> {
  const dir = kernelCacheDir();
  const path = join(dir, `${await kernelSourceHash()}.wasm`);
  try {
    const cached = new Uint8Array(await readFile(path));
    checkKernelBinary(cached);
    return cached;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      process.stderr.write(`training kernels: recompiling, the cached ${path} is unusable (${String(error)})\n`);
  }
  const binary = await compile();
  checkKernelBinary(binary);
  await mkdir(dir, { recursive: true });
  const draft = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(draft, binary);
    await rename(draft, path);
  } finally {
    await rm(draft, { force: true });
  }
  return binary;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The kernels as a WebAssembly.Module, built at most once per process. */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= kernelBinary().then((binary) => new WebAssembly.Module(binary));
  // A failure is not cached: the next caller tries again and gets the error itself.
  compiled.catch(() => (compiled = undefined));
  return compiled;
}
