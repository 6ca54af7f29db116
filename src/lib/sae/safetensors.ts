// The safetensors file format (Hugging Face), float32 tensors only, so that Python users can load
// our SAEs with `safetensors.numpy.load_file` or `safetensors.torch.load_file`. Layout:
//   8 bytes   N, the header's length, unsigned 64-bit little-endian
//   N bytes   JSON: {"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [...],
//             "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8 bytes
//   the rest  the tensors' bytes, little-endian, back to back; offsets count from here
// Readers reject gaps and overlaps between tensors, so neither is written or accepted.

export interface SafetensorsTensor {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const METADATA_KEY = "__metadata__";
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Writes the tensors in the order given; metadata values must be strings (the format allows nothing else). */
export function encodeSafetensors(tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") throw new Error(`safetensors: metadata values must be strings, found ${typeof value} for "${key}"`);
    }
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    if (name === METADATA_KEY) throw new Error(`safetensors: "${METADATA_KEY}" is reserved and cannot name a tensor`);
    if (!(data instanceof Float32Array)) throw new Error(`safetensors: tensor "${name}" must be a Float32Array`);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || product(shape) !== data.length) {
      throw new Error(`safetensors: tensor "${name}" has shape [${shape}] but ${data.length} values`);
    }
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const { data } of Object.values(tensors)) {
    // DataView writes little-endian whatever the machine's byte order.
    for (let i = 0; i < data.length; i++, position += 4) view.setFloat32(position, data[i], true);
  }
  return out;
}

/** Reads a safetensors file of F32 tensors; `source` names it in error messages. */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors file"): SafetensorsFile {
  if (bytes.length < 8) throw new Error(`${source}: expected at least 8 bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new Error(`${source}: the header claims ${headerLength} bytes, more than the file's ${bytes.length - 8}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new Error(`${source}: the header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new Error(`${source}: the header must be a JSON object`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = (header[METADATA_KEY] ?? {}) as Record<string, string>;
  const entries = Object.entries(header).filter(([name]) => name !== METADATA_KEY) as [string, HeaderEntry][];
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, entry] of entries) {
    if (entry.dtype !== "F32") throw new Error(`${source}: tensor "${name}" is ${entry.dtype}; only F32 is supported`);
    const [begin, end] = entry.data_offsets;
    if (!(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= dataLength)) {
      throw new Error(`${source}: tensor "${name}" has data_offsets [${entry.data_offsets}] outside the ${dataLength} data bytes`);
    }
    if (end - begin !== 4 * product(entry.shape)) throw new Error(`${source}: tensor "${name}" has shape [${entry.shape}] but ${(end - begin) / 4} values`);
    const data = new Float32Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
    tensors[name] = { shape: entry.shape, data };
  }
  // Tensors must tile the data exactly, as the reference reader demands.
  let expected = 0;
  for (const [name, entry] of [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0])) {
    if (entry.data_offsets[0] !== expected)
      throw new Error(`${source}: tensor "${name}" starts at byte ${entry.data_offsets[0]}, expected ${expected} (a gap or an overlap)`);
    expected = entry.data_offsets[1];
  }
  if (expected !== dataLength) throw new Error(`${source}: the tensors cover ${expected} of the ${dataLength} data bytes`);
  return { tensors, metadata };
}
