// A small self-describing binary format for the typed arrays the loaders hand to the pages
// (test images, activations, weights): "TBN1", a JSON header, then 8-byte-aligned arrays that
// the page can view in place without copying.

const MAGIC = "TBN1";
const ALIGN = 8;

export type DType = "uint8" | "uint16" | "int32" | "float32";
export type TypedArrayOf<D extends DType> = D extends "uint8" ? Uint8Array : D extends "uint16" ? Uint16Array : D extends "int32" ? Int32Array : Float32Array;
export type BundleArray = Uint8Array | Uint16Array | Int32Array | Float32Array;

export interface NamedArray {
  name: string;
  shape: number[];
  data: BundleArray;
}

export interface DecodedArray {
  dtype: DType;
  shape: number[];
  data: BundleArray;
}

interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  meta: Record<string, unknown>;
  arrays: HeaderEntry[];
}

const constructors = { uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array, float32: Float32Array } as const;

function dtypeOf(data: BundleArray): DType {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Float32Array) return "float32";
  throw new Error(`tensor bundle: unsupported array type ${Object.prototype.toString.call(data)}`);
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function encodeBundle(arrays: NamedArray[], meta: Record<string, unknown> = {}): Uint8Array {
  const names = new Set<string>();
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const { name, shape, data } of arrays) {
    if (names.has(name)) throw new Error(`tensor bundle: duplicate array name "${name}"`);
    names.add(name);
    if (product(shape) !== data.length) {
      throw new Error(`tensor bundle: array "${name}" has shape [${shape}] (${product(shape)} values) but ${data.length} values`);
    }
    entries.push({ name, dtype: dtypeOf(data), shape, offset, byteLength: data.byteLength });
    offset = alignUp(offset + data.byteLength);
  }
  const headerJson = new TextEncoder().encode(JSON.stringify({ meta, arrays: entries } satisfies Header));
  const dataStart = alignUp(8 + headerJson.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerJson.length, true);
  out.set(headerJson, 8);
  out.fill(0x20, 8 + headerJson.length, dataStart);
  arrays.forEach(({ data }, i) => {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart + entries[i].offset);
  });
  return out;
}

export interface DecodedBundle {
  meta: Record<string, unknown>;
  arrays: Record<string, DecodedArray>;
}

/** Decodes a bundle; `source` names the file in error messages. */
export function decodeBundle(buffer: ArrayBuffer, source = "tensor bundle"): DecodedBundle {
  if (buffer.byteLength < 8) throw new Error(`${source}: expected at least 8 bytes, found ${buffer.byteLength}`);
  const magic = new TextDecoder().decode(new Uint8Array(buffer, 0, 4));
  if (magic !== MAGIC) throw new Error(`${source}: expected magic "${MAGIC}", found "${magic}"`);
  const headerLength = new DataView(buffer).getUint32(4, true);
  if (8 + headerLength > buffer.byteLength) {
    throw new Error(`${source}: header of ${headerLength} bytes runs past the end (${buffer.byteLength} bytes)`);
  }
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message})`);
  }
  const dataStart = alignUp(8 + headerLength);
  const arrays: Record<string, DecodedArray> = {};
  for (const entry of header.arrays) {
    const Ctor = constructors[entry.dtype];
    if (!Ctor) throw new Error(`${source}: array "${entry.name}" has unknown dtype "${entry.dtype}"`);
    const start = dataStart + entry.offset;
    if (start + entry.byteLength > buffer.byteLength) {
      throw new Error(`${source}: array "${entry.name}" needs bytes ${start}..${start + entry.byteLength}, file has ${buffer.byteLength} (truncated?)`);
    }
    const length = entry.byteLength / Ctor.BYTES_PER_ELEMENT;
    if (length !== product(entry.shape)) {
      throw new Error(`${source}: array "${entry.name}" has shape [${entry.shape}] but ${length} values`);
    }
    arrays[entry.name] = { dtype: entry.dtype, shape: entry.shape, data: new Ctor(buffer, start, length) };
  }
  return { meta: header.meta ?? {}, arrays };
}

/** Looks up an array by name and dtype, with an error that says what the file holds instead. */
export function requireArray<D extends DType>(
  bundle: DecodedBundle,
  name: string,
  dtype: D,
  source = "tensor bundle",
): { shape: number[]; data: TypedArrayOf<D> } {
  const found = bundle.arrays[name];
  if (!found) throw new Error(`${source}: expected an array "${name}", found only [${Object.keys(bundle.arrays).join(", ")}]`);
  if (found.dtype !== dtype) throw new Error(`${source}: expected "${name}" as ${dtype}, found ${found.dtype}`);
  return { shape: found.shape, data: found.data as TypedArrayOf<D> };
}
