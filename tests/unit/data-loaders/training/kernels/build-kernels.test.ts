import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeVersion } from "../../../../../data-loaders/cache/artifact-cache.js";
import { KERNEL_CODE, KERNEL_SOURCE_DIR, kernelBinary, kernelSourceHash } from "../../../../../data-loaders/training/kernels/build-kernels.js";
import { checkKernelBinary, dataSegmentCount } from "../../../../../data-loaders/training/kernels/kernel-binary.js";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Import section: env.memory (min 1 page). */
const IMPORT_MEMORY = [0x02, 0x0f, 0x01, 0x03, ...Buffer.from("env"), 0x06, ...Buffer.from("memory"), 0x02, 0x00, 0x01];
/** Import section: env.memory and an i32 global env.seed. */
const IMPORT_MEMORY_AND_GLOBAL = [
  0x02,
  0x1b,
  0x02,
  0x03,
  ...Buffer.from("env"),
  0x06,
  ...Buffer.from("memory"),
  0x02,
  0x00,
  0x01,
  0x03,
  ...Buffer.from("env"),
  0x04,
  ...Buffer.from("seed"),
  0x03,
  0x7f,
  0x00,
];
/** Data section: one byte (42) at address 0. */
const DATA_AT_ZERO = [0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x2a];

const binary = (...sections: number[][]) => new Uint8Array([...HEADER, ...sections.flat()]);

async function withCacheDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "kernel-cache-"));
  const saved = process.env.KERNEL_CACHE_DIR;
  process.env.KERNEL_CACHE_DIR = dir;
  try {
    return await run(dir);
  } finally {
    if (saved === undefined) delete process.env.KERNEL_CACHE_DIR;
    else process.env.KERNEL_CACHE_DIR = saved;
    await rm(dir, { recursive: true, force: true });
  }
}

describe("kernel binary checks", () => {
  test("dataSegmentCount counts data segments and finds none where there is no data section", () => {
    assert.equal(dataSegmentCount(binary(IMPORT_MEMORY, DATA_AT_ZERO)), 1);
    assert.equal(dataSegmentCount(binary(IMPORT_MEMORY)), 0);
  });

  test("a module with data, which would overwrite tfjs's heap, is rejected", () => {
    assert.throws(() => checkKernelBinary(binary(IMPORT_MEMORY, DATA_AT_ZERO)), /the module has 1 data segment\(s\), which would overwrite tfjs's heap/);
  });

  test("a module importing more than the memory is rejected, naming the imports", () => {
    assert.throws(
      () => checkKernelBinary(binary(IMPORT_MEMORY_AND_GLOBAL)),
      /must import only env\.memory, but it imports env\.memory \(memory\), env\.seed \(global\)/,
    );
  });

  test("a module without the kernel functions is rejected, naming them", () => {
    assert.throws(() => checkKernelBinary(binary(IMPORT_MEMORY)), /the module lacks the functions addBias, conv2d, /);
  });
});

describe("KERNEL_CODE", () => {
  test("covers the AssemblyScript sources, the workspace the fused steps run them in and the compiler's version, and hashes as artifact code", async () => {
    assert.ok(KERNEL_SOURCE_DIR.replaceAll("\\", "/").endsWith(`${KERNEL_CODE[0]}/assembly/`));
    assert.ok(KERNEL_CODE.includes("src/lib/wasm"));
    assert.ok(KERNEL_CODE.includes("node_modules/assemblyscript/package.json"));
    assert.match(await codeVersion([...KERNEL_CODE]), /^[0-9a-f]{64}$/);
  });
});

describe("kernelBinary", () => {
  test("compiles once into <cache>/<source hash>.wasm, then reuses that file", async () => {
    await withCacheDir(async (dir) => {
      const first = await kernelBinary();
      checkKernelBinary(first);
      const file = join(dir, `${await kernelSourceHash()}.wasm`);
      assert.deepEqual(await readdir(dir), [`${await kernelSourceHash()}.wasm`], "only the binary is left in the cache, no drafts");
      assert.deepEqual(new Uint8Array(await readFile(file)), first);
      const written = (await stat(file)).mtimeMs;
      const second = await kernelBinary();
      assert.deepEqual(second, first);
      assert.equal((await stat(file)).mtimeMs, written, "the cached binary was rewritten instead of reused");
    });
  });

  test("a damaged cached binary is compiled again", async () => {
    await withCacheDir(async (dir) => {
      const file = join(dir, `${await kernelSourceHash()}.wasm`);
      await writeFile(file, "not wasm");
      const saved = process.stderr.write;
      let note = "";
      process.stderr.write = ((chunk: string) => ((note += chunk), true)) as typeof process.stderr.write;
      try {
        checkKernelBinary(await kernelBinary());
      } finally {
        process.stderr.write = saved;
      }
      assert.match(note, /training kernels: recompiling, the cached .* is unusable/);
      checkKernelBinary(new Uint8Array(await readFile(file)));
    });
  });
});
