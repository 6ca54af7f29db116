// Digits drawn for the concept tests: 28 × 28 images, 255 where a predicate of the pixel centre's
// row and column holds, 0 elsewhere.
export const SIDE = 28;

export function draw(inside: (row: number, col: number) => boolean, side = SIDE): Uint8Array {
  const image = new Uint8Array(side * side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) if (inside(r, c)) image[r * side + c] = 255;
  return image;
}

/** Pixels whose centre lies between radii `inner` and `outer` of (row, col). */
export const annulus = (row: number, col: number, inner: number, outer: number) => (r: number, c: number) => {
  const d = Math.hypot(r - row, c - col);
  return d >= inner && d <= outer;
};

/** Rows [top, top + height) × columns [left, left + width). */
export const rect = (top: number, left: number, height: number, width: number) => (r: number, c: number) =>
  r >= top && r < top + height && c >= left && c < left + width;

/**
 * A bar `width` pixels wide from row `top` to row `bottom` (exclusive), centred on column 13.5 at
 * row 13.5 and sheared by `angle`: its top moves right for a positive angle ("/").
 */
export const shearedBar =
  (angle: number, width: number, top = 4, bottom = 24) =>
  (r: number, c: number) =>
    r >= top && r < bottom && Math.abs(c - 13.5 - Math.tan(angle) * (13.5 - r)) <= width / 2;

export const union =
  (...shapes: ((r: number, c: number) => boolean)[]) =>
  (r: number, c: number) =>
    shapes.some((s) => s(r, c));
