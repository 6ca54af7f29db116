// 2-D convolutions in NHWC with filters [kh, kw, ci, co], stride (sh, sw), dilation 1. Callers
// pad (and for the input gradient, dilate) the image first with scatterImage, so every window
// here lies inside its image and the inner loops need no bounds checks.
import { dotTile, outerProduct, rowAfter } from "./tiles";

/** y[n, oh, ow, co] = conv(x, filter), "valid" on the padded x [n, h, w, ci]. */
export function conv2d(
  x: usize, filter: usize, y: usize,
  n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32,
): void {
  // Output pixels are rows; the reduction runs over filter rows (fh) and, within one, over the
  // kw·ci values that are contiguous in both x and the filter.
  const pixel: usize = <usize>ci << 2;
  const imageRow: usize = <usize>w * pixel;
  const patchRow = kw * ci;
  const ldc: usize = <usize>co << 2;
  for (let b = 0; b < n; b++) {
    const image = x + <usize>b * <usize>h * imageRow;
    const out = y + <usize>b * <usize>(oh * ow) * ldc;
    outerProduct(
      out, ldc, oh * ow, co,
      image, ow, <usize>sh * imageRow, <usize>sw * pixel,
      filter,
      0, imageRow, 4,
      0, <usize>patchRow * ldc, ldc,
      1, kh, patchRow,
    );
  }
}

/**
 * dw[kh, kw, ci, co] = Σ over (b, oy, ox) of x[b, oy·sh + fh, ox·sw + fw, c] · dy[b, oy, ox, co],
 * on the padded x [n, h, w, ci]. Rows are the filter's (fh, fw·ci), columns its co.
 */
export function conv2dFilterGrad(
  x: usize, dy: usize, dw: usize,
  n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32,
): void {
  const pixel: usize = <usize>ci << 2;
  const imageRow: usize = <usize>w * pixel;
  const ldc: usize = <usize>co << 2;
  outerProduct(
    dw, ldc, kh * kw * ci, co,
    x, kw * ci, imageRow, 4,
    dy,
    <usize>h * imageRow, <usize>sh * imageRow, <usize>sw * pixel,
    <usize>(oh * ow) * ldc, <usize>ow * ldc, ldc,
    n, oh, ow,
  );
}

/**
 * dx[n, h, w, ci] of a convolution, as a stride-1 "valid" correlation of the dilated, padded
 * gradient dyPad [n, hp, wp, co4] with the flipped filter [kh, ci, kw·co4] (see flipFilter):
 *   dx[b, y, x, c] = Σ_fh Σ_q dyPad[b, y + fh, x, q] · flipped[fh, c, q],  q over kw·co4
 * co4 (channels padded to a multiple of 4 with zeros in both) makes each run whole vectors.
 */
export function conv2dInputGrad(
  dyPad: usize, flipped: usize, dx: usize,
  n: i32, h: i32, w: i32, ci: i32, hp: i32, wp: i32, co4: i32, kh: i32, kw: i32,
): void {
  const pixel: usize = <usize>co4 << 2;
  const padRow: usize = <usize>wp * pixel;
  const length: usize = <usize>kw * pixel;
  const outRow: usize = <usize>ci << 2;
  const pixels = h * w;
  for (let b = 0; b < n; b++) {
    const image = dyPad + <usize>b * <usize>hp * padRow;
    const out = dx + <usize>b * <usize>pixels * outRow;
    // Output pixel i is (y, x) = (i / w, i % w); its window starts at dyPad[b, y, x].
    let y = 0;
    let x = 0;
    for (let i = 0; i < pixels; i += 4) {
      const rows = min(4, pixels - i);
      const r0 = rowAfter(y, x, 0, w, padRow, pixel);
      const r1 = rowAfter(y, x, min(1, rows - 1), w, padRow, pixel);
      const r2 = rowAfter(y, x, min(2, rows - 1), w, padRow, pixel);
      const r3 = rowAfter(y, x, min(3, rows - 1), w, padRow, pixel);
      x += 4;
      while (x >= w) {
        x -= w;
        y++;
      }
      const outRows = out + <usize>i * outRow;
      let c = 0;
      for (; c + 2 <= ci; c += 2) {
        dotTile(2, outRows + (<usize>c << 2), outRow, rows, image, r0, r1, r2, r3, flipped + <usize>c * length, length, padRow, <usize>ci * length, kh, length);
      }
      if (c < ci) {
        dotTile(1, outRows + (<usize>c << 2), outRow, rows, image, r0, r1, r2, r3, flipped + <usize>c * length, length, padRow, <usize>ci * length, kh, length);
      }
    }
  }
}
