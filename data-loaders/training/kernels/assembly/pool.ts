// Max pooling in NHWC, vectorized over channels (a scalar lane for the last c % 4). NaN never
// wins a window and an all -Infinity/NaN window routes no gradient, as in tfjs's cpu backend.
// The common 2x2 windows at stride 2 without padding have their own path that keeps a window's
// four values in registers; any other geometry takes the general one.
import { loadColumns, storeColumns } from "./tiles";

const NEGATIVE_INFINITY = f32x4.splat(-Infinity);

/** The pmax over a window, i.e. best = value > best ? value : best from -Infinity. */
@inline function windowMax(width: i32, p: usize, rowBytes: usize, pixelBytes: usize, height: i32, span: i32): v128 {
  let best = NEGATIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    let q = p + <usize>y * rowBytes;
    for (let x = 0; x < span; x++, q += pixelBytes) best = f32x4.pmax(best, loadColumns(width, q));
  }
  return best;
}

/**
 * Routes each lane of g to the first position in the window (row-major) that holds the window's
 * maximum `best`, adding it to dx there. The first such position is where a strict ">" scan
 * last moved, which is what the cpu backend picks.
 */
@inline function routeToMax(width: i32, px: usize, pdx: usize, rowBytes: usize, pixelBytes: usize, height: i32, span: i32, best: v128, g: v128): void {
  let open = f32x4.gt(best, NEGATIVE_INFINITY);
  for (let y = 0; y < height; y++) {
    const offset = <usize>y * rowBytes;
    for (let x = 0; x < span; x++) {
      const q = offset + <usize>x * pixelBytes;
      const hit = v128.and(f32x4.eq(loadColumns(width, px + q), best), open);
      open = v128.andnot(open, hit);
      storeColumns(width, pdx + q, f32x4.add(loadColumns(width, pdx + q), v128.and(g, hit)));
    }
  }
}

/** y[n, oh, ow, c] = max over each (fh × fw) window at stride (sh, sw), padding (top, left). */
export function maxPool(
  x: usize, y: usize,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32, top: i32, left: i32,
): void {
  const pixelBytes: usize = <usize>c << 2;
  const rowBytes: usize = <usize>w * pixelBytes;
  let out = y;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = max(0, oy * sh - top);
      const height = min(h, oy * sh - top + fh) - y0;
      for (let ox = 0; ox < ow; ox++, out += pixelBytes) {
        const x0 = max(0, ox * sw - left);
        const span = min(w, ox * sw - left + fw) - x0;
        const p = x + (<usize>(b * h + y0) * <usize>w + <usize>x0) * pixelBytes;
        let k = 0;
        for (; k + 4 <= c; k += 4) v128.store(out + (<usize>k << 2), windowMax(4, p + (<usize>k << 2), rowBytes, pixelBytes, height, span));
        for (; k < c; k++) v128.store32_lane(out + (<usize>k << 2), windowMax(1, p + (<usize>k << 2), rowBytes, pixelBytes, height, span), 0);
      }
    }
  }
}

/** dx[n, h, w, c]: each window's dy added at the window's (first) maximum; zero elsewhere. */
export function maxPoolGrad(
  x: usize, dy: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32, top: i32, left: i32,
): void {
  const pixelBytes: usize = <usize>c << 2;
  const rowBytes: usize = <usize>w * pixelBytes;
  memory.fill(dx, 0, <usize>n * <usize>h * rowBytes);
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = max(0, oy * sh - top);
      const height = min(h, oy * sh - top + fh) - y0;
      for (let ox = 0; ox < ow; ox++, g += pixelBytes) {
        const x0 = max(0, ox * sw - left);
        const span = min(w, ox * sw - left + fw) - x0;
        const start = (<usize>(b * h + y0) * <usize>w + <usize>x0) * pixelBytes;
        let k = 0;
        for (; k + 4 <= c; k += 4) {
          const lane = start + (<usize>k << 2);
          const best = windowMax(4, x + lane, rowBytes, pixelBytes, height, span);
          routeToMax(4, x + lane, dx + lane, rowBytes, pixelBytes, height, span, best, v128.load(g + (<usize>k << 2)));
        }
        for (; k < c; k++) {
          const lane = start + (<usize>k << 2);
          const best = windowMax(1, x + lane, rowBytes, pixelBytes, height, span);
          routeToMax(1, x + lane, dx + lane, rowBytes, pixelBytes, height, span, best, v128.load32_zero(g + (<usize>k << 2)));
        }
      }
    }
  }
}

/** One channel chunk of a 2x2 window at p: its four values' maximum, in row-major pmax order. */
@inline function max2x2(width: i32, p: usize, rowBytes: usize, pixelBytes: usize): v128 {
  const a = loadColumns(width, p);
  const b = loadColumns(width, p + pixelBytes);
  const c = loadColumns(width, p + rowBytes);
  const d = loadColumns(width, p + rowBytes + pixelBytes);
  return f32x4.pmax(f32x4.pmax(f32x4.pmax(f32x4.pmax(NEGATIVE_INFINITY, a), b), c), d);
}

/** maxPool for 2x2 windows, stride 2, no padding (oh = h / 2, ow = w / 2, rounded down). */
export function maxPool2x2(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32): void {
  const pixelBytes: usize = <usize>c << 2;
  const rowBytes: usize = <usize>w * pixelBytes;
  const oh = h >> 1;
  const ow = w >> 1;
  let out = y;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      let p = x + (<usize>(b * h + 2 * oy) * <usize>w) * pixelBytes;
      for (let ox = 0; ox < ow; ox++, p += 2 * pixelBytes, out += pixelBytes) {
        let k = 0;
        for (; k + 4 <= c; k += 4) v128.store(out + (<usize>k << 2), max2x2(4, p + (<usize>k << 2), rowBytes, pixelBytes));
        for (; k < c; k++) v128.store32_lane(out + (<usize>k << 2), max2x2(1, p + (<usize>k << 2), rowBytes, pixelBytes), 0);
      }
    }
  }
}

/** One channel chunk of maxPoolGrad2x2: g to the first of the four positions holding the max. */
@inline function route2x2(width: i32, p: usize, q: usize, rowBytes: usize, pixelBytes: usize, g: v128): void {
  const a = loadColumns(width, p);
  const b = loadColumns(width, p + pixelBytes);
  const c = loadColumns(width, p + rowBytes);
  const d = loadColumns(width, p + rowBytes + pixelBytes);
  const best = f32x4.pmax(f32x4.pmax(f32x4.pmax(f32x4.pmax(NEGATIVE_INFINITY, a), b), c), d);
  let open = f32x4.gt(best, NEGATIVE_INFINITY);
  const hitA = v128.and(f32x4.eq(a, best), open);
  open = v128.andnot(open, hitA);
  const hitB = v128.and(f32x4.eq(b, best), open);
  open = v128.andnot(open, hitB);
  const hitC = v128.and(f32x4.eq(c, best), open);
  open = v128.andnot(open, hitC);
  const hitD = v128.and(f32x4.eq(d, best), open);
  // Windows do not overlap, so each position is written once, with no read of dx.
  storeColumns(width, q, v128.and(g, hitA));
  storeColumns(width, q + pixelBytes, v128.and(g, hitB));
  storeColumns(width, q + rowBytes, v128.and(g, hitC));
  storeColumns(width, q + rowBytes + pixelBytes, v128.and(g, hitD));
}

/** maxPoolGrad for 2x2 windows, stride 2, no padding. */
export function maxPoolGrad2x2(x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32): void {
  const pixelBytes: usize = <usize>c << 2;
  const rowBytes: usize = <usize>w * pixelBytes;
  const oh = h >> 1;
  const ow = w >> 1;
  // An odd last row or column is in no window: its gradient is zero.
  if ((h | w) & 1) memory.fill(dx, 0, <usize>n * <usize>h * rowBytes);
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      let offset = (<usize>(b * h + 2 * oy) * <usize>w) * pixelBytes;
      for (let ox = 0; ox < ow; ox++, offset += 2 * pixelBytes, g += pixelBytes) {
        let k = 0;
        for (; k + 4 <= c; k += 4) route2x2(4, x + offset + (<usize>k << 2), dx + offset + (<usize>k << 2), rowBytes, pixelBytes, v128.load(g + (<usize>k << 2)));
        for (; k < c; k++) route2x2(1, x + offset + (<usize>k << 2), dx + offset + (<usize>k << 2), rowBytes, pixelBytes, v128.load32_zero(g + (<usize>k << 2)));
      }
    }
  }
}
