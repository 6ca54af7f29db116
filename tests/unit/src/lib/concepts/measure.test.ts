import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { measureDigit, measureDigits } from "../../../../../src/lib/concepts/measure.js";
import { CONCEPT_NAMES } from "../../../../../src/lib/concepts/types.js";
import { SIDE, annulus, draw, rect, shearedBar, union } from "./shapes.js";

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, found ${actual}`);

const measure = (inside: (r: number, c: number) => boolean) => measureDigit(draw(inside), SIDE);

describe("holes", () => {
  test("a ring has one, two stacked rings (an 8) two, a filled disc none", () => {
    assert.equal(measure(annulus(13.5, 13.5, 5, 8)).holes, 1);
    assert.equal(measure(union(annulus(8.5, 13.5, 3, 5.5), annulus(19.5, 13.5, 3, 5.5))).holes, 2);
    assert.equal(measure(annulus(13.5, 13.5, 0, 8)).holes, 0);
  });
  test("a gap in the ring opens it; a C has no hole", () => {
    assert.equal(measure((r, c) => annulus(13.5, 13.5, 5, 8)(r, c) && !(c > 18 && Math.abs(r - 13.5) < 2)).holes, 0);
  });
  test("a ring's skeleton is one closed curve: no ends, no branches", () => {
    const ring = measure(annulus(13.5, 13.5, 5, 8));
    assert.equal(ring.endpoints, 0);
    assert.equal(ring.junctions, 0);
    // The skeleton runs near the middle radius 6.5 (2π · 6.5 ≈ 40.8), a little outside it as
    // digital circles have more pixels on the outer edge.
    near(ring.length, 2 * Math.PI * 6.5, 4, "ring length");
  });
});

describe("slant", () => {
  test("a vertical bar has slant 0, and so has a horizontal one", () => {
    assert.equal(measure(rect(4, 12, 20, 3)).slant, 0);
    assert.equal(measure(rect(12, 4, 3, 20)).slant, 0);
  });
  test("a bar sheared by θ has slant θ: positive when it leans right, negative when it leans left", () => {
    for (const angle of [0.15, 0.3, 0.45, -0.2, -0.4]) {
      const { slant } = measure(shearedBar(angle, 4));
      near(slant, angle, 0.03, `slant of a bar sheared by ${angle}`);
    }
    assert.ok(measure(shearedBar(0.3, 4)).slant > 0, "a right-leaning bar (/) has a positive slant");
  });
  test("de-slanting stands the sheared bar upright: width its stroke width, height its rows", () => {
    // Each row of the drawn bar is 4 pixels wide, but the rows are shifted by whole pixels while
    // the shear shifts them continuously: de-slanted, they stagger by up to a pixel.
    const { width, height } = measure(shearedBar(0.3, 4));
    assert.ok(width >= 4 && width <= 5.1, `width of the de-slanted bar: expected 4 to 5.1, found ${width}`);
    near(height, 20, 0.1, "height of the sheared bar");
  });
});

describe("size", () => {
  test("a filled rectangle's area is its pixel count; width and height are its sides", () => {
    const { area, width, height, slant, holes } = measure(rect(5, 8, 18, 12));
    // Bicubic upscaling rounds the corners a little: 215.75 of 216 pixels.
    near(area, 18 * 12, 0.01 * 18 * 12, "area");
    near(width, 12, 0.05, "width");
    near(height, 18, 0.05, "height");
    assert.equal(slant, 0);
    assert.equal(holes, 0);
  });
  test("moving the digit does not change what it measures", () => {
    const here = measure(union(annulus(10.5, 12.5, 3, 5.5), rect(14, 16, 9, 2)));
    const there = measure(union(annulus(12.5, 15.5, 3, 5.5), rect(16, 19, 9, 2)));
    for (const name of CONCEPT_NAMES) near(there[name], here[name], 1e-9, name);
  });
});

describe("strokes", () => {
  test("a horizontal bar of length L: length ≈ L less its width, 2 endpoints, no junction, thickness its width", () => {
    // Thinning eats about half the stroke width at each end, so the skeleton is about L − w long
    // (16.25 for L = 20, w = 3); a longer bar adds exactly its extra length.
    const bar = measure(rect(12, 4, 3, 20));
    near(bar.length, 20 - 3, 1, "length");
    assert.equal(bar.endpoints, 2);
    assert.equal(bar.junctions, 0);
    // The skeleton runs along the middle row, 1.5 pixels (6 upscaled) from either edge: 2 × 1.5.
    near(bar.thickness, 3, 0.05, "thickness");
    const shorter = measure(rect(12, 8, 3, 12));
    near(bar.length - shorter.length, 8, 1e-9, "length difference of bars 20 and 12 long");
    assert.equal(measure(rect(4, 12, 20, 3)).length, bar.length, "a vertical bar measures as the horizontal one");
  });
  test("a diagonal bar: its length counts √2 per diagonal step", () => {
    const diagonal = measure((r, c) => r >= 4 && r < 24 && Math.abs(r - c) <= 1);
    assert.equal(diagonal.endpoints, 2);
    assert.equal(diagonal.junctions, 0);
    // 20 rows, one diagonal step each: about 20√2 ≈ 28.3 (thinning trims the ends a little); a
    // count of 1 per step would give about 20.
    near(diagonal.length, Math.SQRT2 * 20, 1.5, "length of a 20-row diagonal");
    near(diagonal.slant, -Math.PI / 4, 0.01, "slant of a bar leaning left by 45°");
  });
  test("a T has one junction and 3 endpoints, a + one junction and 4", () => {
    const t = measure(union(rect(5, 5, 3, 18), rect(5, 13, 18, 3)));
    assert.equal(t.junctions, 1);
    assert.equal(t.endpoints, 3);
    const plus = measure(union(rect(12, 4, 3, 20), rect(4, 12, 20, 3)));
    assert.equal(plus.junctions, 1);
    assert.equal(plus.endpoints, 4);
  });
  test("a filled square's thickness is its side under thinning (Morpho-MNIST's medial axis gives half the side)", () => {
    // Thickness is 2 × the mean distance to the background over the skeleton. Zhang–Suen thinning
    // shrinks a filled s × s square to its centre, side/2 from every edge, so the thickness is
    // 2 × s/2 = s. Morpho-MNIST's medial axis of a square is its two diagonals, along which the
    // distance grows evenly from 0 at the corners to s/2 at the centre: a mean of s/4 and a
    // thickness of s/2. "Half its side" holds for the medial axis, "its side" for this skeleton.
    for (const s of [10, 16]) {
      const square = measure(rect(14 - s / 2, 14 - s / 2, s, s));
      near(square.thickness, s, 0.05, `thickness of a ${s} × ${s} square`);
      near(square.length, 0, 0.5, `skeleton length of a ${s} × ${s} square`);
    }
  });
  test("a speck of ink keeps a skeleton pixel: thickness defined, length 0", () => {
    const dot = measure(rect(5, 5, 1, 1));
    assert.equal(dot.area, 1);
    assert.equal(dot.length, 0);
    assert.ok(Number.isFinite(dot.thickness) && dot.thickness > 0);
    assert.equal(dot.endpoints, 0);
  });
});

describe("empty and bad input", () => {
  test("an empty image: counts 0, slant, width, height and thickness NaN", () => {
    const empty = measureDigit(new Uint8Array(SIDE * SIDE), SIDE);
    assert.deepEqual(
      { area: empty.area, length: empty.length, holes: empty.holes, endpoints: empty.endpoints, junctions: empty.junctions },
      { area: 0, length: 0, holes: 0, endpoints: 0, junctions: 0 },
    );
    for (const name of ["slant", "width", "height", "thickness"] as const) assert.ok(Number.isNaN(empty[name]), `${name} is NaN`);
  });
  test("a faint digit is binarized at half its own maximum", () => {
    const bright = draw(rect(5, 8, 18, 12));
    const faint = bright.map((v) => v / 5);
    assert.equal(measureDigit(faint, SIDE).area, measureDigit(bright, SIDE).area);
  });
  test("wrong lengths and sides say what was expected and found", () => {
    assert.throws(() => measureDigit(new Uint8Array(100), 28), /expected 28 × 28 = 784 pixels, found 100/);
    assert.throws(() => measureDigit(new Uint8Array(0), 0), /side must be an integer >= 1, found 0/);
    assert.throws(() => measureDigit(new Uint8Array(4), 1.5), /side must be an integer >= 1, found 1.5/);
    assert.throws(() => measureDigits(new Uint8Array(784 * 2 + 1), 2, 28), /expected 2 images of 28 × 28 = 1568 values, found 1569/);
    assert.throws(() => measureDigits(new Uint8Array(0), -1, 28), /count must be a whole number, found -1/);
  });
  test("other sides work too", () => {
    const small = measureDigit(draw(annulus(7.5, 7.5, 3, 5), 16), 16);
    assert.equal(small.holes, 1);
  });
});

describe("measureDigits", () => {
  test("gives each image's measureDigit in its column", () => {
    const images = [draw(annulus(13.5, 13.5, 5, 8)), new Uint8Array(SIDE * SIDE), draw(shearedBar(0.3, 4))];
    const all = new Uint8Array(images.length * SIDE * SIDE);
    images.forEach((image, i) => all.set(image, i * SIDE * SIDE));
    const columns = measureDigits(all, images.length, SIDE);
    assert.deepEqual(Object.keys(columns), [...CONCEPT_NAMES]);
    images.forEach((image, i) => {
      const one = measureDigit(image, SIDE);
      for (const name of CONCEPT_NAMES) assert.ok(Object.is(columns[name][i], one[name]), `${name} of image ${i}`);
    });
  });
});
