// A WebAssembly memory of its own for the fused training steps: weights, optimizer state and
// every intermediate buffer live here between steps, and the SIMD kernels read and write them in
// place, so a step costs a few dozen wasm calls and no allocation. Buffers are carved from the
// memory once (bump allocation); views are re-made whenever a later allocation grew the memory.
import { instantiateKernels, type TrainingKernels } from "./kernels.js";

const PAGE_BYTES = 65_536;
/** Buffers start on 16-byte boundaries (one SIMD vector) and end with a vector of slack. */
const ALIGN = 16;
const SLACK_FLOATS = 4;
/** wasm32's limit: 65,536 pages of 64 KiB. */
const MAX_PAGES = 65_536;

/** A float32 buffer in the workspace: `offset` in bytes for the kernels, `data` for JavaScript. */
export class WasmBuffer {
  private cached: Float32Array | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    readonly offset: number,
    readonly length: number,
  ) {}

  /** `length` floats from `start` (in floats) of this buffer, sharing its memory. */
  part(start: number, length: number): WasmBuffer {
    if (start < 0 || start + length > this.length)
      throw new Error(`WasmBuffer.part: [${start}, ${start + length}) is outside a buffer of ${this.length} floats`);
    return new WasmBuffer(this.memory, this.offset + start * 4, length);
  }

  /** The buffer's bytes as `length` / 2 float64 values (its offset is 16-byte aligned). */
  float64(): Float64Array {
    return new Float64Array(this.memory.buffer, this.offset, this.length >> 1);
  }

  /** The buffer's bytes as `length` int32 values. */
  int32(): Int32Array {
    return new Int32Array(this.memory.buffer, this.offset, this.length);
  }

  /** A view of the buffer; valid until the next allocation in the workspace. */
  get data(): Float32Array {
    if (this.cached === undefined || this.cached.buffer !== this.memory.buffer) {
      this.cached = new Float32Array(this.memory.buffer, this.offset, this.length);
    }
    return this.cached;
  }
}

export class KernelWorkspace {
  readonly kernels: TrainingKernels;
  private readonly memory: WebAssembly.Memory;
  /** The next free byte. Byte 0 onwards is left unused, so no buffer starts at offset 0. */
  private top = ALIGN;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
    this.kernels = instantiateKernels(module, this.memory);
  }

  /** A zeroed float32 buffer of `length` values (wasm memory starts zeroed and is never reused here). */
  buffer(length: number): WasmBuffer {
    if (!(Number.isInteger(length) && length >= 0)) throw new Error(`KernelWorkspace.buffer: length must be a whole number, got ${length}`);
    const offset = this.top;
    const end = offset + (length + SLACK_FLOATS) * 4;
    this.top = Math.ceil(end / ALIGN) * ALIGN;
    const needed = Math.ceil(this.top / PAGE_BYTES);
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > MAX_PAGES) throw new Error(`KernelWorkspace: ${(this.top / 2 ** 30).toFixed(2)} GiB asked for; WebAssembly memory holds at most 4 GiB`);
    if (needed > have) this.memory.grow(needed - have);
    return new WasmBuffer(this.memory, offset, length);
  }

  /** A buffer holding a copy of `values`. */
  copyOf(values: ArrayLike<number>): WasmBuffer {
    const buffer = this.buffer(values.length);
    buffer.data.set(values);
    return buffer;
  }

  /** Bytes of memory in use. */
  get bytes(): number {
    return this.top;
  }
}

/**
 * c [m, n] = op(a) · op(b) with the SIMD kernel, where op transposes when asked: a is [m, k] or,
 * transposed, [k, m]; b is [k, n] or, transposed, [n, k]. A transposed b is packed into `packed`
 * (at least k·n floats) first, since the kernel reads b's rows as vectors.
 */
export function matMul(
  workspace: KernelWorkspace,
  a: WasmBuffer,
  b: WasmBuffer,
  c: WasmBuffer,
  m: number,
  k: number,
  n: number,
  options: { transposeA?: boolean; transposeB?: boolean; packed?: WasmBuffer } = {},
): void {
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new Error(`matMul: buffers of ${a.length}, ${b.length} and ${c.length} floats are too small for [${m}, ${k}] · [${k}, ${n}]`);
  }
  let right = b;
  if (options.transposeB) {
    const packed = options.packed;
    if (packed === undefined || packed.length < k * n) throw new Error(`matMul: a transposed b needs a packing buffer of ${k * n} floats`);
    workspace.kernels.transpose(b.offset, packed.offset, n, k);
    right = packed;
  }
  workspace.kernels.matMul(a.offset, right.offset, c.offset, m, k, n, options.transposeA ? 1 : 0);
}
