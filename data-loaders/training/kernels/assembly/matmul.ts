import { outerProduct } from "./tiles";

/**
 * c[m, n] = op(a) · b, row-major; op(a) is a [m, k], or the transpose of a [k, m] when
 * aTransposed. A transposed b must be packed first (see transpose): b's rows are the vectors.
 */
export function matMul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, aTransposed: bool): void {
  const rowStride: usize = aTransposed ? 4 : <usize>k << 2;
  const kStride: usize = aTransposed ? <usize>m << 2 : 4;
  const ldb: usize = <usize>n << 2;
  outerProduct(c, ldb, m, n, a, m, 0, rowStride, b, 0, 0, kStride, 0, 0, ldb, 1, 1, k);
}
