// Copies that put data into the layout a kernel wants: padded images, flipped filters, transposes.

/**
 * dst [n, hd, wd, cd] is zero except dst[b, top + y·sh, left + x·sw, 0..c) = src[b, y, x, :]
 * where that lands inside dst. Pads an image (strides 1), and dilates and pads a gradient.
 */
export function scatterImage(
  src: usize, dst: usize,
  n: i32, h: i32, w: i32, c: i32, hd: i32, wd: i32, cd: i32, top: i32, left: i32, sh: i32, sw: i32,
): void {
  const pixelBytes: usize = <usize>c << 2;
  memory.fill(dst, 0, <usize>n * <usize>hd * <usize>wd * (<usize>cd << 2));
  // A padded image row is one run of memory in both; copying pixel by pixel costs far more.
  const wholeRows = sw == 1 && c == cd && left >= 0 && left + w <= wd;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const ty = top + y * sh;
      if (ty < 0 || ty >= hd) continue;
      if (wholeRows) {
        const from = src + (<usize>(b * h + y) * <usize>w) * pixelBytes;
        const to = dst + (<usize>(b * hd + ty) * <usize>wd + <usize>left) * pixelBytes;
        memory.copy(to, from, <usize>w * pixelBytes);
        continue;
      }
      for (let x = 0; x < w; x++) {
        const tx = left + x * sw;
        if (tx < 0 || tx >= wd) continue;
        const from = src + ((<usize>(b * h + y) * <usize>w + <usize>x) * pixelBytes);
        const to = dst + ((<usize>(b * hd + ty) * <usize>wd + <usize>tx) * (<usize>cd << 2));
        memory.copy(to, from, pixelBytes);
      }
    }
  }
}

/**
 * dst[fh, c, fw, j] = filter[kh-1-fh, kw-1-fw, c, j] for j < co and 0 for co ≤ j < co4: the
 * filter of the input gradient, laid out so that a (fw, j) run is contiguous.
 */
export function flipFilter(filter: usize, dst: usize, kh: i32, kw: i32, ci: i32, co: i32, co4: i32): void {
  memory.fill(dst, 0, <usize>(kh * ci * kw * co4) << 2);
  for (let fh = 0; fh < kh; fh++) {
    for (let c = 0; c < ci; c++) {
      for (let fw = 0; fw < kw; fw++) {
        const from = filter + (<usize>(((kh - 1 - fh) * kw + (kw - 1 - fw)) * ci + c) * <usize>co << 2);
        const to = dst + (<usize>(((fh * ci + c) * kw + fw) * co4) << 2);
        memory.copy(to, from, <usize>co << 2);
      }
    }
  }
}

/** dst [cols, rows] = the transpose of src [rows, cols]. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + (<usize>(c * rows + r) << 2), load<f32>(src + (<usize>(r * cols + c) << 2)));
    }
  }
}
