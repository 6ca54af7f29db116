// Turns a hand-drawn digit into an MNIST-style 28 × 28 input, the way the MNIST digits were
// normalized: ink bounding box scaled (aspect kept, anti-aliased) to 20 px on its long side,
// then placed in a 28 × 28 frame with its centre of mass at the frame centre.
//
// Positions use the pixel-centre convention: pixel x covers [x, x + 1) and sits at x + 0.5, so
// the 28-pixel frame's centre is 14 and a centre of mass is Σ v (x + 0.5) / Σ v.

export const MNIST_SIZE = 28;
/** Long side of the scaled digit box. */
export const DIGIT_BOX = 20;
/** Pixels at or below this ink intensity do not count as ink when finding the bounding box. */
export const INK_THRESHOLD = 0.05;

/**
 * `gray` is row-major width × height ink intensity in [0, 1] (1 = ink); values outside are
 * clamped. Returns 784 floats in [0, 1], row-major, or null when nothing was drawn (no pixel
 * above INK_THRESHOLD).
 */
export function preprocessDrawing(gray: Float32Array, width: number, height: number): Float32Array | null {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new Error(`preprocessDrawing: expected positive integer width and height, found ${width} × ${height}`);
  }
  if (gray.length !== width * height) {
    throw new Error(`preprocessDrawing gray: expected width × height = ${width} × ${height} = ${width * height} values, found ${gray.length}`);
  }
  const box = inkBoundingBox(gray, width, height);
  if (box === null) return null;
  const boxWidth = box.right - box.left;
  const boxHeight = box.bottom - box.top;
  const scale = DIGIT_BOX / Math.max(boxWidth, boxHeight);
  const outWidth = Math.min(DIGIT_BOX, Math.max(1, Math.round(boxWidth * scale)));
  const outHeight = Math.min(DIGIT_BOX, Math.max(1, Math.round(boxHeight * scale)));
  const digit = resampleArea(gray, width, box, outWidth, outHeight);

  // Centre of mass of the scaled digit, in its own pixel-centre coordinates.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const v = digit[y * outWidth + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const centre = MNIST_SIZE / 2;
  const comX = mass > 0 ? mx / mass : outWidth / 2;
  const comY = mass > 0 ? my / mass : outHeight / 2;
  const offsetX = clamp(Math.round(centre - comX), 0, MNIST_SIZE - outWidth);
  const offsetY = clamp(Math.round(centre - comY), 0, MNIST_SIZE - outHeight);

  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      out[(offsetY + y) * MNIST_SIZE + offsetX + x] = digit[y * outWidth + x];
    }
  }
  return out;
}

interface Box {
  left: number;
  top: number;
  /** Exclusive. */
  right: number;
  /** Exclusive. */
  bottom: number;
}

function inkBoundingBox(gray: Float32Array, width: number, height: number): Box | null {
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0, o = y * width; x < width; x++) {
      if (gray[o + x] > INK_THRESHOLD) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 };
}

/**
 * Area-averaging resample of the box to outWidth × outHeight: each output pixel is the mean of
 * the source area it covers, fractional source pixels weighted by overlap. Done separably
 * (rows, then columns). Total ink scales by the area ratio (out area / box area).
 */
function resampleArea(gray: Float32Array, width: number, box: Box, outWidth: number, outHeight: number): Float64Array {
  const boxWidth = box.right - box.left;
  const boxHeight = box.bottom - box.top;
  const horizontal = overlapWeights(boxWidth, outWidth);
  const vertical = overlapWeights(boxHeight, outHeight);
  // Pass 1: each source row of the box → outWidth values.
  const rowsScaled = new Float64Array(boxHeight * outWidth);
  for (let y = 0; y < boxHeight; y++) {
    const source = (box.top + y) * width + box.left;
    for (let x = 0; x < outWidth; x++) {
      let s = 0;
      const { first, weights } = horizontal[x];
      for (let i = 0; i < weights.length; i++) s += weights[i] * clamp01(gray[source + first + i]);
      rowsScaled[y * outWidth + x] = s;
    }
  }
  // Pass 2: columns.
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const { first, weights } = vertical[y];
    for (let x = 0; x < outWidth; x++) {
      let s = 0;
      for (let i = 0; i < weights.length; i++) s += weights[i] * rowsScaled[(first + i) * outWidth + x];
      out[y * outWidth + x] = Math.min(1, s);
    }
  }
  return out;
}

/**
 * For each of `outSize` output pixels over `inSize` source pixels: the first source pixel it
 * overlaps and the overlap fractions, normalized to sum to 1 (a mean over the covered area).
 */
function overlapWeights(inSize: number, outSize: number): { first: number; weights: Float64Array }[] {
  const step = inSize / outSize; // source pixels per output pixel
  const result: { first: number; weights: Float64Array }[] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * step;
    const end = (o + 1) * step;
    const first = Math.floor(start);
    const last = Math.min(inSize - 1, Math.ceil(end) - 1);
    const weights = new Float64Array(last - first + 1);
    for (let i = first; i <= last; i++) {
      weights[i - first] = (Math.min(end, i + 1) - Math.max(start, i)) / step;
    }
    result.push({ first, weights });
  }
  return result;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0;
}
