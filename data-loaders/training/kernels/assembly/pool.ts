// Max pooling in NHWC, vectorized over channels (a scalar lane for the last c % 4). NaN never
// wins a window and an all -Infinity/NaN window routes no gradient, as in tfjs's cpu backend.
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
