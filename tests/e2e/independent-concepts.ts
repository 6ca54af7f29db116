// Three of the exported concepts of a test image computed a second way, sharing no code with
// src/lib/concepts: the 4x bicubic image by a direct 4 × 4 sum per output pixel (not two passes),
// area as the count of pixels at or above half the maximum, slant from the binarized pixels'
// second moments, and holes from the Euler number (Gray's bit-quad counts) rather than by
// filling the background: for an 8-connected digit, holes = components − Euler number.

const SCALE = 4;

function cubic(x: number): number {
  const t = Math.abs(x);
  const a = -0.5;
  if (t < 1) return 1 - (a + 3) * t ** 2 + (a + 2) * t ** 3;
  if (t < 2) return -4 * a + 8 * a * t - 5 * a * t ** 2 + a * t ** 3;
  return 0;
}

/** The digit upscaled 4× and binarized: 1 where the bicubic value is at least half the image's maximum. */
export function binarizedUpscale(pixels: ArrayLike<number>, side: number): { size: number; ink: Uint8Array } {
  const size = side * SCALE;
  let max = 0;
  for (let i = 0; i < side * side; i++) max = Math.max(max, pixels[i]);
  const ink = new Uint8Array(size * size);
  if (max === 0) return { size, ink };
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= side || c >= side ? 0 : pixels[r * side + c]);
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / SCALE - 0.5;
    const r0 = Math.floor(v);
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / SCALE - 0.5;
      const c0 = Math.floor(u);
      let sum = 0;
      for (let dr = -1; dr <= 2; dr++) for (let dc = -1; dc <= 2; dc++) sum += cubic(v - (r0 + dr)) * cubic(u - (c0 + dc)) * at(r0 + dr, c0 + dc);
      ink[y * size + x] = sum >= max / 2 ? 1 : 0;
    }
  }
  return { size, ink };
}

function components8(ink: Uint8Array, size: number): number {
  const seen = new Uint8Array(ink.length);
  let count = 0;
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    count++;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop() as number;
      const y = Math.floor(p / size),
        x = p % size;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const ny = y + dy,
            nx = x + dx;
          if (ny < 0 || nx < 0 || ny >= size || nx >= size) continue;
          const q = ny * size + nx;
          if (ink[q] && !seen[q]) ((seen[q] = 1), stack.push(q));
        }
    }
  }
  return count;
}

/** Euler number of the 8-connected ink from 2 × 2 windows (Gray 1971): (Q1 − Q3 − 2·QD) / 4. */
function euler8(ink: Uint8Array, size: number): number {
  const px = (y: number, x: number) => (y < 0 || x < 0 || y >= size || x >= size ? 0 : ink[y * size + x]);
  let q1 = 0,
    q3 = 0,
    qd = 0;
  for (let y = -1; y < size; y++) {
    for (let x = -1; x < size; x++) {
      const a = px(y, x),
        b = px(y, x + 1),
        c = px(y + 1, x),
        d = px(y + 1, x + 1);
      const n = a + b + c + d;
      if (n === 1) q1++;
      else if (n === 3) q3++;
      else if (n === 2 && a === d) qd++;
    }
  }
  return (q1 - q3 - 2 * qd) / 4;
}

export interface IndependentConcepts {
  area: number;
  holes: number;
  slant: number;
}

export function independentConcepts(pixels: ArrayLike<number>, side: number): IndependentConcepts {
  const { size, ink } = binarizedUpscale(pixels, side);
  let n = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (ink[y * size + x]) (n++, (sx += x), (sy += y));
  if (n === 0) return { area: 0, holes: 0, slant: NaN };
  const mx = sx / n,
    my = sy / n;
  let mu11 = 0,
    mu02 = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (ink[y * size + x]) ((mu11 += (x - mx) * (y - my)), (mu02 += (y - my) ** 2));
  return { area: n / SCALE ** 2, holes: components8(ink, size) - euler8(ink, size), slant: Math.atan(-mu11 / mu02) };
}
