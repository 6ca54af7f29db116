// The working buffers of one measurement, allocated once per image side and reused for every
// image of that side, so that measuring 10,000 digits allocates nothing per image or pixel.
//
// Upscaled images live in a padded grid: `size` = side × SCALE pixels with a one-pixel frame of
// background all round, row-major with row stride `stride` = size + 2. The frame lets every
// 3×3 neighbourhood be read without bounds checks, and it is the "outside" that holes must not
// reach and that the distance transform measures to (a stroke touching the image edge ends there).

/** Morpho-MNIST's upscaling factor: measure at 4× for sub-pixel precision. */
export const SCALE = 4;

export interface Grid {
  /** Side of the original image. */
  side: number;
  /** Side of the upscaled image (side × SCALE). */
  size: number;
  /** Row stride of the padded buffers (size + 2). */
  stride: number;
  /** Upscaled intensities, size × size, not padded. */
  hires: Float32Array;
  /** Rows of the original image interpolated along x only (side × size): bicubic's first pass. */
  rowPass: Float32Array;
  /** 1 where the binarized digit is, padded. */
  binary: Uint8Array;
  /** 1 on the skeleton, padded. */
  skeleton: Uint8Array;
  /** Squared Euclidean distance to the nearest background pixel, padded (0 on background). */
  distance2: Float64Array;
  /** Padded indices of the digit's pixels, in raster order; the first `count` are valid. */
  pixels: Int32Array;
  /** Padded indices of the skeleton's pixels while thinning; the first `count` are valid. */
  active: Int32Array;
  /** Scratch list of padded indices (pixels to delete, flood-fill queue). */
  queue: Int32Array;
  /** Scratch marks, padded (visited flags of flood fills). */
  marks: Uint8Array;
  /** Scratch for the 1-D distance transform (Felzenszwalb–Huttenlocher). */
  edtF: Float64Array;
  edtV: Int32Array;
  edtZ: Float64Array;
}

let cached: Grid | null = null;

/** The buffers for images of `side` × `side` pixels (the last ones made, if the side matches). */
export function gridFor(side: number): Grid {
  if (cached !== null && cached.side === side) return cached;
  const size = side * SCALE;
  const stride = size + 2;
  const cells = stride * stride;
  cached = {
    side,
    size,
    stride,
    hires: new Float32Array(size * size),
    rowPass: new Float32Array(side * size),
    binary: new Uint8Array(cells),
    skeleton: new Uint8Array(cells),
    distance2: new Float64Array(cells),
    pixels: new Int32Array(cells),
    active: new Int32Array(cells),
    queue: new Int32Array(cells),
    marks: new Uint8Array(cells),
    edtF: new Float64Array(stride),
    edtV: new Int32Array(stride),
    edtZ: new Float64Array(stride + 1),
  };
  return cached;
}

/**
 * The 8 neighbours' offsets in the padded grid, clockwise from north: N, NE, E, SE, S, SW, W, NW
 * (Zhang and Suen's P2 … P9). Bit i of a neighbourhood mask is the neighbour at offset i.
 */
export function neighbourOffsets(stride: number): Int32Array {
  return Int32Array.of(-stride, -stride + 1, 1, stride + 1, stride, stride - 1, -1, -stride - 1);
}

/** The 8-bit neighbourhood mask of padded index p in `cells` (bit i: neighbour i is set). */
export function neighbourMask(cells: Uint8Array, p: number, stride: number): number {
  return (
    cells[p - stride] |
    (cells[p - stride + 1] << 1) |
    (cells[p + 1] << 2) |
    (cells[p + stride + 1] << 3) |
    (cells[p + stride] << 4) |
    (cells[p + stride - 1] << 5) |
    (cells[p - 1] << 6) |
    (cells[p - stride - 1] << 7)
  );
}

/** Number of set bits of an 8-bit mask. */
export const POPCOUNT: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let m = 1; m < 256; m++) table[m] = (m & 1) + table[m >> 1];
  return table;
})();
