// Register-blocked inner loops shared by the kernels. Each output element is one accumulator that
// receives its products in a fixed order, so results are deterministic and do not depend on how
// the outputs are blocked. Baseline SIMD only (no relaxed FMA), so rounding is the same everywhere.
// Strides and offsets are in bytes. `width` is a compile-time constant after inlining: 8 and 4
// columns are one or two vectors, 1 is a scalar column carried in lane 0.

@inline export function loadColumns(width: i32, p: usize): v128 {
  return width == 1 ? v128.load32_zero(p) : v128.load(p);
}

@inline export function storeColumns(width: i32, p: usize, v: v128): void {
  if (width == 1) v128.store32_lane(p, v, 0);
  else v128.store(p, v);
}

/**
 * An "outer product" tile: output rows i (4 of them, `rows` valid; the others repeat a valid
 * row's offset so every load stays in bounds) by `width` columns j:
 *   C[i, j] = Σ_{l0 < n0, l1 < n1, l2 < n2} A(i, l) · B(l, j)
 *   A(i, l) = a[r_i + l0·a0 + l1·a1 + l2·a2],  B(l, j) = b[l0·b0 + l1·b1 + l2·b2 + 4j]
 * with C row i at c + i·ldc. Products are added in (l0, l1, l2) order.
 */
@inline export function outerTile(
  width: i32,
  c: usize, ldc: usize, rows: i32,
  a: usize, r0: usize, r1: usize, r2: usize, r3: usize,
  b: usize,
  a0: usize, a1: usize, a2: usize,
  b0: usize, b1: usize, b2: usize,
  n0: i32, n1: i32, n2: i32,
): void {
  const zero = f32x4.splat(0);
  let s00 = zero, s01 = zero, s10 = zero, s11 = zero, s20 = zero, s21 = zero, s30 = zero, s31 = zero;
  for (let l0 = 0; l0 < n0; l0++) {
    for (let l1 = 0; l1 < n1; l1++) {
      let pa = a + <usize>l0 * a0 + <usize>l1 * a1;
      let pb = b + <usize>l0 * b0 + <usize>l1 * b1;
      for (let l2 = 0; l2 < n2; l2++) {
        const y0 = loadColumns(width, pb);
        const x0 = v128.load32_splat(pa + r0);
        const x1 = v128.load32_splat(pa + r1);
        const x2 = v128.load32_splat(pa + r2);
        const x3 = v128.load32_splat(pa + r3);
        s00 = f32x4.add(s00, f32x4.mul(x0, y0));
        s10 = f32x4.add(s10, f32x4.mul(x1, y0));
        s20 = f32x4.add(s20, f32x4.mul(x2, y0));
        s30 = f32x4.add(s30, f32x4.mul(x3, y0));
        if (width == 8) {
          const y1 = v128.load(pb, 16);
          s01 = f32x4.add(s01, f32x4.mul(x0, y1));
          s11 = f32x4.add(s11, f32x4.mul(x1, y1));
          s21 = f32x4.add(s21, f32x4.mul(x2, y1));
          s31 = f32x4.add(s31, f32x4.mul(x3, y1));
        }
        pa += a2;
        pb += b2;
      }
    }
  }
  storeColumns(width, c, s00);
  if (width == 8) v128.store(c, s01, 16);
  if (rows > 1) {
    storeColumns(width, c + ldc, s10);
    if (width == 8) v128.store(c + ldc, s11, 16);
  }
  if (rows > 2) {
    storeColumns(width, c + 2 * ldc, s20);
    if (width == 8) v128.store(c + 2 * ldc, s21, 16);
  }
  if (rows > 3) {
    storeColumns(width, c + 3 * ldc, s30);
    if (width == 8) v128.store(c + 3 * ldc, s31, 16);
  }
}

/**
 * The offset of the row k (0..3) rows after the row (group, inner) when rows run over two axes:
 * row (g, q) starts at g·groupStride + q·rowStride, q < perGroup. Steps instead of dividing,
 * which would cost more than a small tile's arithmetic.
 */
@inline export function rowAfter(group: i32, inner: i32, k: i32, perGroup: i32, groupStride: usize, rowStride: usize): usize {
  let q = inner + k;
  let g = group;
  while (q >= perGroup) {
    q -= perGroup;
    g++;
  }
  return <usize>g * groupStride + <usize>q * rowStride;
}

/**
 * All of C = A·B for the outer tile, rows 0..m-1 and columns 0..n-1. Row i of A starts at
 * (i / rowsPerGroup)·groupStride + (i % rowsPerGroup)·rowStride, which covers plain matrices
 * (one group) and rows that run over two axes, like a filter's (kh, kw·ci).
 */
@inline export function outerProduct(
  c: usize, ldc: usize, m: i32, n: i32,
  a: usize, rowsPerGroup: i32, groupStride: usize, rowStride: usize,
  b: usize,
  a0: usize, a1: usize, a2: usize,
  b0: usize, b1: usize, b2: usize,
  n0: i32, n1: i32, n2: i32,
): void {
  // (group, inner): row i's place along the two row axes.
  let group = 0;
  let inner = 0;
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    // Rows past m repeat the last one, so every load stays in bounds.
    const r0 = rowAfter(group, inner, 0, rowsPerGroup, groupStride, rowStride);
    const r1 = rowAfter(group, inner, min(1, rows - 1), rowsPerGroup, groupStride, rowStride);
    const r2 = rowAfter(group, inner, min(2, rows - 1), rowsPerGroup, groupStride, rowStride);
    const r3 = rowAfter(group, inner, min(3, rows - 1), rowsPerGroup, groupStride, rowStride);
    inner += 4;
    while (inner >= rowsPerGroup) {
      inner -= rowsPerGroup;
      group++;
    }
    const ci = c + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      outerTile(8, ci + (<usize>j << 2), ldc, rows, a, r0, r1, r2, r3, b + (<usize>j << 2), a0, a1, a2, b0, b1, b2, n0, n1, n2);
    }
    if (j + 4 <= n) {
      outerTile(4, ci + (<usize>j << 2), ldc, rows, a, r0, r1, r2, r3, b + (<usize>j << 2), a0, a1, a2, b0, b1, b2, n0, n1, n2);
      j += 4;
    }
    for (; j < n; j++) {
      outerTile(1, ci + (<usize>j << 2), ldc, rows, a, r0, r1, r2, r3, b + (<usize>j << 2), a0, a1, a2, b0, b1, b2, n0, n1, n2);
    }
  }
}

@inline function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * A "dot" tile: 4 output rows (`rows` valid) by `cols` (2 or 1) columns c, each a dot product
 * along a contiguous run of `length` bytes (a multiple of 16):
 *   out[i, c] = Σ_{l < n1} Σ_q a[r_i + l·a1 + q] · b[c·bc + l·b1 + q]
 * stored as one float at out + i·outRow + 4c. Each lane sums its own products in order; the
 * lanes are added last, pairwise.
 */
@inline export function dotTile(
  cols: i32,
  out: usize, outRow: usize, rows: i32,
  a: usize, r0: usize, r1: usize, r2: usize, r3: usize,
  b: usize, bc: usize,
  a1: usize, b1: usize, n1: i32, length: usize,
): void {
  const zero = f32x4.splat(0);
  let s00 = zero, s01 = zero, s10 = zero, s11 = zero, s20 = zero, s21 = zero, s30 = zero, s31 = zero;
  for (let l = 0; l < n1; l++) {
    const pa = a + <usize>l * a1;
    const pb = b + <usize>l * b1;
    for (let q: usize = 0; q < length; q += 16) {
      const y0 = v128.load(pb + q);
      const x0 = v128.load(pa + r0 + q);
      const x1 = v128.load(pa + r1 + q);
      const x2 = v128.load(pa + r2 + q);
      const x3 = v128.load(pa + r3 + q);
      s00 = f32x4.add(s00, f32x4.mul(x0, y0));
      s10 = f32x4.add(s10, f32x4.mul(x1, y0));
      s20 = f32x4.add(s20, f32x4.mul(x2, y0));
      s30 = f32x4.add(s30, f32x4.mul(x3, y0));
      if (cols == 2) {
        const y1 = v128.load(pb + bc + q);
        s01 = f32x4.add(s01, f32x4.mul(x0, y1));
        s11 = f32x4.add(s11, f32x4.mul(x1, y1));
        s21 = f32x4.add(s21, f32x4.mul(x2, y1));
        s31 = f32x4.add(s31, f32x4.mul(x3, y1));
      }
    }
  }
  store<f32>(out, horizontalSum(s00));
  if (cols == 2) store<f32>(out, horizontalSum(s01), 4);
  if (rows > 1) {
    store<f32>(out + outRow, horizontalSum(s10));
    if (cols == 2) store<f32>(out + outRow, horizontalSum(s11), 4);
  }
  if (rows > 2) {
    store<f32>(out + 2 * outRow, horizontalSum(s20));
    if (cols == 2) store<f32>(out + 2 * outRow, horizontalSum(s21), 4);
  }
  if (rows > 3) {
    store<f32>(out + 3 * outRow, horizontalSum(s30));
    if (cols == 2) store<f32>(out + 3 * outRow, horizontalSum(s31), 4);
  }
}
