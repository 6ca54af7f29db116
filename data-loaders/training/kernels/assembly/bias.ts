// A bias over the last axis: adding it, and its gradient (the sum over every other axis). Each
// column is summed in float32 row after row, as tfjs-backend-wasm's own Sum does, so the gradient
// is bit-identical to its.
import { loadColumns, storeColumns } from "./tiles";

@inline function sumColumnBlock(width: i32, x: usize, y: usize, rows: i32, rowBytes: usize): void {
  const zero = f32x4.splat(0);
  let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
  let p = x;
  for (let r = 0; r < rows; r++, p += rowBytes) {
    s0 = f32x4.add(s0, loadColumns(width, p));
    if (width == 16) {
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
    }
  }
  storeColumns(width, y, s0);
  if (width == 16) {
    v128.store(y, s1, 16);
    v128.store(y, s2, 32);
    v128.store(y, s3, 48);
  }
}

/** y[j] = Σ_i x[i, j] for x [rows, cols]. */
export function sumRows(x: usize, y: usize, rows: i32, cols: i32): void {
  const rowBytes: usize = <usize>cols << 2;
  let j = 0;
  // 16 columns at a time keeps four independent addition chains in flight.
  for (; j + 16 <= cols; j += 16) sumColumnBlock(16, x + (<usize>j << 2), y + (<usize>j << 2), rows, rowBytes);
  for (; j + 4 <= cols; j += 4) sumColumnBlock(4, x + (<usize>j << 2), y + (<usize>j << 2), rows, rowBytes);
  for (; j < cols; j++) sumColumnBlock(1, x + (<usize>j << 2), y + (<usize>j << 2), rows, rowBytes);
}

/** x[i, j] += bias[j] for x [rows, cols], in place. */
export function addBias(x: usize, bias: usize, rows: i32, cols: i32): void {
  const rowBytes: usize = <usize>cols << 2;
  for (let j = 0; j < cols; ) {
    const width = cols - j >= 4 ? 4 : 1;
    const b = width == 4 ? v128.load(bias + (<usize>j << 2)) : v128.load32_zero(bias + (<usize>j << 2));
    let p = x + (<usize>j << 2);
    if (width == 4) {
      for (let r = 0; r < rows; r++, p += rowBytes) v128.store(p, f32x4.add(v128.load(p), b));
    } else {
      for (let r = 0; r < rows; r++, p += rowBytes) v128.store32_lane(p, f32x4.add(v128.load32_zero(p), b), 0);
    }
    j += width;
  }
}
