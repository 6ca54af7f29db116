// IDX, the file format of MNIST (http://yann.lecun.com/exdb/mnist/): two zero bytes, a type byte,
// a dimension count, one big-endian uint32 size per dimension, then the values in row-major order.
// Only unsigned bytes (type 0x08) are accepted: that is what every MNIST-format image and label
// file holds, and it lets the data be returned as a view without copying.

/** A parsed IDX file: its sizes, outermost first, and its values in row-major order. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** A dataset file that is missing or does not hold what it should; says which file, what was expected, what was found. */
export class DatasetError extends Error {
  readonly file: string;
  readonly expected: string;
  readonly found: string;

  /** `message` replaces the default "<file>: expected <expected>, found <found>" where other words say it better. */
  constructor(file: string, expected: string, found: string, message = `${file}: expected ${expected}, found ${found}`) {
    super(message);
    this.name = "DatasetError";
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}

const UNSIGNED_BYTE = 0x08;

/** The value types the IDX format defines, named so that a wrong file says what it holds. */
const typeNames: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "short",
  0x0c: "int",
  0x0d: "float",
  0x0e: "double",
};

function hex32(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}

function dimensionsText(count: number): string {
  return `${count} dimension${count === 1 ? "" : "s"}`;
}

function describeMagic(typeByte: number, dimensionCount: number): string {
  const typeName = typeNames[typeByte] ?? "unknown type";
  return `(${typeName}, ${dimensionsText(dimensionCount)})`;
}

/**
 * Parses an IDX file of unsigned bytes. `file` names the file in error messages.
 * When `expectedDimensions` is given, a file with another dimension count is rejected as a wrong magic number.
 * The returned data is a view into `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDimensions?: number): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(file, "an IDX header of at least 4 bytes", `a file of ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const typeByte = bytes[2];
  const dimensionCount = bytes[3];

  const wantedDimensions = expectedDimensions ?? dimensionCount;
  const wrongMagic = bytes[0] !== 0 || bytes[1] !== 0 || typeByte !== UNSIGNED_BYTE || dimensionCount !== wantedDimensions;
  if (wrongMagic) {
    const expected =
      expectedDimensions === undefined
        ? `magic 0x000008nn (unsigned byte, nn dimensions)`
        : `magic ${hex32((UNSIGNED_BYTE << 8) | expectedDimensions)} ${describeMagic(UNSIGNED_BYTE, expectedDimensions)}`;
    const found = bytes[0] === 0 && bytes[1] === 0 ? `${hex32(magic)} ${describeMagic(typeByte, dimensionCount)}` : hex32(magic);
    throw new DatasetError(file, expected, found);
  }

  const headerLength = 4 + 4 * dimensionCount;
  if (bytes.length < headerLength) {
    throw new DatasetError(file, `an IDX header of ${headerLength} bytes (${dimensionsText(dimensionCount)})`, `a file of ${bytes.length} bytes`);
  }
  const dims: number[] = [];
  for (let i = 0; i < dimensionCount; i++) dims.push(view.getUint32(4 + 4 * i));

  const expectedLength = dims.reduce((product, size) => product * size, 1);
  const dataLength = bytes.length - headerLength;
  if (dataLength !== expectedLength) {
    const problem = dataLength < expectedLength ? "truncated" : `${dataLength - expectedLength} trailing bytes`;
    throw new DatasetError(file, `${expectedLength} data bytes (${dims.join("x")})`, `${dataLength} data bytes (${problem})`);
  }

  // A plain Uint8Array view (not a Buffer subarray) so consumers such as tfjs see the ordinary type.
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, dataLength);
  return { dims, data };
}
