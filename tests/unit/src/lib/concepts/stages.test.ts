// The measurement's stages on their own: the distance transform against brute force, the
// skeleton's thinness and topology, the holes' connectivity rule.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SCALE, gridFor, neighbourMask, POPCOUNT, type Grid } from "../../../../../src/lib/concepts/grid.js";
import { distanceTransform } from "../../../../../src/lib/concepts/distance.js";
import { REDUNDANT, RING_COMPONENTS, skeletonize } from "../../../../../src/lib/concepts/thinning.js";
import { countHoles } from "../../../../../src/lib/concepts/holes.js";
import { upscale } from "../../../../../src/lib/concepts/upscale.js";
import { binarize } from "../../../../../src/lib/concepts/binarize.js";
import { annulus, draw, rect, union } from "./shapes.js";

/** A grid for side-pixel images whose binary image is set from a predicate on upscaled (row, col). */
function gridWith(side: number, inside: (r: number, c: number) => boolean): { grid: Grid; count: number } {
  const grid = gridFor(side);
  grid.binary.fill(0);
  let count = 0;
  for (let r = 0; r < grid.size; r++) {
    for (let c = 0; c < grid.size; c++) {
      if (!inside(r, c)) continue;
      const p = (r + 1) * grid.stride + c + 1;
      grid.binary[p] = 1;
      grid.pixels[count++] = p;
    }
  }
  return { grid, count };
}

/** The upscaled, binarized 28 × 28 drawing, as measure.ts makes it. */
function gridOf(inside: (r: number, c: number) => boolean): { grid: Grid; count: number } {
  const grid = gridFor(28);
  upscale(draw(inside), grid);
  return { grid, count: binarize(grid, 255) };
}

describe("distance transform", () => {
  test("equals the brute-force distance to the nearest background pixel (the frame included)", () => {
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const blobs = Array.from({ length: 6 }, () => [next() * 12, next() * 12, 1 + next() * 4]);
    const { grid } = gridWith(3, (r, c) => blobs.some(([br, bc, radius]) => Math.hypot(r - br, c - bc) < radius) || (r + c) % 11 === 0);
    distanceTransform(grid);
    const { stride, binary, distance2 } = grid;
    for (let p = 0; p < stride * stride; p++) {
      let best = Infinity;
      if (binary[p]) {
        for (let q = 0; q < stride * stride; q++) {
          if (binary[q]) continue;
          const dr = Math.floor(p / stride) - Math.floor(q / stride);
          const dc = (p % stride) - (q % stride);
          best = Math.min(best, dr * dr + dc * dc);
        }
      } else best = 0;
      assert.equal(distance2[p], best, `pixel ${p}`);
    }
  });
});

describe("skeleton", () => {
  const shapes = {
    ring: annulus(13.5, 13.5, 5, 8),
    eight: union(annulus(8.5, 13.5, 3, 5.5), annulus(19.5, 13.5, 3, 5.5)),
    plus: union(rect(12, 4, 3, 20), rect(4, 12, 20, 3)),
    slash: (r: number, c: number) => r >= 4 && r < 24 && Math.abs(c - 14 - 0.6 * (14 - r)) <= 2,
  };
  for (const [name, shape] of Object.entries(shapes)) {
    test(`${name}: 8-thin (no 2 × 2 block, no pixel that could go), inside the digit, holes kept`, () => {
      const { grid, count } = gridOf(shape);
      distanceTransform(grid);
      const holes = countHoles(grid);
      const n = skeletonize(grid, count);
      const { stride, skeleton, binary, active } = grid;
      assert.ok(n > 0);
      for (let i = 0; i < n; i++) {
        const p = active[i];
        assert.equal(skeleton[p], 1);
        assert.equal(binary[p], 1, "skeleton pixels are digit pixels");
        assert.ok(!(skeleton[p + 1] && skeleton[p + stride] && skeleton[p + stride + 1]), "no 2 × 2 block");
        assert.equal(REDUNDANT[neighbourMask(skeleton, p, stride)], 0, "no pixel left that could go");
      }
      // The skeleton as a digit of its own has the same holes (thinning keeps the topology).
      grid.binary.set(grid.skeleton);
      assert.equal(countHoles(grid), holes);
    });
  }
  test("the neighbour-group table: none alone, one for an arc, two for opposite pixels", () => {
    assert.equal(RING_COMPONENTS[0], 0);
    assert.equal(RING_COMPONENTS[0b00000111], 1); // N, NE, E
    assert.equal(RING_COMPONENTS[0b00000101], 1); // N and E touch diagonally
    assert.equal(RING_COMPONENTS[0b00010001], 2); // N and S
    assert.equal(RING_COMPONENTS[0b01010101], 1); // N, E, S, W: a diamond
    assert.equal(RING_COMPONENTS[0b10101010], 4); // the four corners
    assert.equal(POPCOUNT[0b10101010], 4);
  });
  test("redundant pixels: a staircase corner and a bump on a line go; line pixels, ends and a diamond's centre stay", () => {
    assert.equal(REDUNDANT[0b01010000], 1); // S and W: a staircase corner
    assert.equal(REDUNDANT[0b00111000], 1); // SW, S, SE: a pixel on top of a line, a bump
    assert.equal(REDUNDANT[0b01000100], 0); // E and W: the middle of a line
    assert.equal(REDUNDANT[0b00000100], 0); // an end
    assert.equal(REDUNDANT[0b01010101], 0); // N, E, S, W: removing it would make a hole
  });
  test("the upscaled grid is SCALE times the image", () => {
    assert.equal(gridFor(28).size, 28 * SCALE);
  });
});

describe("holes", () => {
  test("background touching only diagonally is not enclosed-connected: 4-connected background", () => {
    // A diamond outline drawn one pixel thick with diagonal steps encloses its inside only if
    // the digit is 8-connected and the background 4-connected.
    const size = 12;
    const { grid } = gridWith(3, (r, c) => Math.abs(r - 6) + Math.abs(c - 6) === 4);
    assert.equal(grid.size, size);
    assert.equal(countHoles(grid), 1);
  });
});
