// Slant, width and height from the image moments of the binarized digit.
//
// Sign convention (Morpho-MNIST's): x is the column, growing to the right, and y the row, growing
// DOWN. With central moments μ11 = mean((x − x̄)(y − ȳ)) and μ02 = mean((y − ȳ)²), the horizontal
// shear is μ11 / μ02 and slant = atan(−μ11 / μ02). A digit leaning right ("/": its top to the
// right) has x falling as y grows, so μ11 < 0 and the slant is positive; a vertical bar has 0.
// A shape one row tall (μ02 = 0) has no shear to measure and gets slant 0.
//
// Width and height are those of the de-slanted digit: every pixel's x is moved to
// x + tan(slant)·(y − ȳ), which stands a bar sheared by the slant upright, and the box spans from
// the first to the last pixel inclusive. Morpho-MNIST's bounding parallelogram also drops 1 % of
// the mass on each side (and weighs grey levels); this box keeps every pixel.
import { SCALE, type Grid } from "./grid.js";

export interface Shape {
  slant: number;
  width: number;
  height: number;
}

/** The slant and de-slanted box of grid.binary's `count` pixels (listed in grid.pixels), in original pixels. */
export function shapeOf(grid: Grid, count: number): Shape {
  if (count === 0) return { slant: NaN, width: NaN, height: NaN };
  const { stride, pixels } = grid;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < count; i++) {
    const p = pixels[i];
    sy += (p / stride) | 0;
    sx += p % stride;
  }
  const mx = sx / count;
  const my = sy / count;
  let u11 = 0;
  let u02 = 0;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    const p = pixels[i];
    const y = ((p / stride) | 0) - my;
    const x = (p % stride) - mx;
    u11 += x * y;
    u02 += y * y;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const shear = u02 > 0 ? -u11 / u02 : 0; // tan(slant)
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < count; i++) {
    const p = pixels[i];
    const x = (p % stride) + shear * (((p / stride) | 0) - my);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  // + 0 turns the −0 of an upright digit (−μ11 = −0) into 0.
  return { slant: Math.atan(shear) + 0, width: (maxX - minX + 1) / SCALE, height: (maxY - minY + 1) / SCALE };
}
