// What the compiled kernels may and may not contain. They run on tfjs-backend-wasm's own heap, so
// a data segment would overwrite tfjs's memory at instantiation, and any import besides the
// memory would mean a runtime we did not plan for.
import { KERNEL_EXPORTS } from "../../../src/lib/wasm/kernels.js";

const DATA_SECTION = 11;

function readUnsignedLeb(bytes: Uint8Array, start: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let at = start;
  for (;;) {
    if (at >= bytes.length) throw new Error("training kernels: truncated WebAssembly binary");
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: at };
    shift += 7;
  }
}

/** The number of data segments in a WebAssembly binary (0 when it has no data section). */
export function dataSegmentCount(bytes: Uint8Array): number {
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readUnsignedLeb(bytes, at + 1);
    if (id === DATA_SECTION) return readUnsignedLeb(bytes, size.next).value;
    at = size.next + size.value;
  }
  return 0;
}

/** Throws, naming the problem, unless `binary` is a kernel module safe to run on tfjs's heap. */
export function checkKernelBinary(binary: Uint8Array<ArrayBuffer>): void {
  const module = new WebAssembly.Module(binary);
  const imports = WebAssembly.Module.imports(module).map((entry) => `${entry.module}.${entry.name} (${entry.kind})`);
  if (imports.length !== 1 || imports[0] !== "env.memory (memory)") {
    throw new Error(`training kernels: the module must import only env.memory, but it imports ${imports.join(", ") || "nothing"}`);
  }
  const segments = dataSegmentCount(binary);
  if (segments !== 0) throw new Error(`training kernels: the module has ${segments} data segment(s), which would overwrite tfjs's heap`);
  const exported = new Set(
    WebAssembly.Module.exports(module)
      .filter((entry) => entry.kind === "function")
      .map((entry) => entry.name),
  );
  const missing = Object.keys(KERNEL_EXPORTS).filter((name) => !exported.has(name));
  if (missing.length > 0) throw new Error(`training kernels: the module lacks the functions ${missing.join(", ")}`);
}
