import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { preprocessDrawing } from "../../../../../src/lib/analysis/digit-preprocess.js";

const SIZE = 28;

function canvas(width: number, height: number) {
  const gray = new Float32Array(width * height);
  const fill = (x0: number, y0: number, w: number, h: number, value = 1) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) gray[y * width + x] = value;
  };
  return { gray, fill };
}

/** Ink bounding box (any value > 0) and centre of mass with the pixel-centre convention. */
function describeOutput(out: Float32Array) {
  let left = SIZE,
    right = -1,
    top = SIZE,
    bottom = -1,
    mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const v = out[y * SIZE + x];
      assert.ok(v >= 0 && v <= 1, `pixel (${x}, ${y}) = ${v} outside [0, 1]`);
      if (v > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return { width: right - left + 1, height: bottom - top + 1, mass, comX: mx / mass, comY: my / mass };
}

describe("preprocessDrawing", () => {
  test("a blank or barely touched canvas gives null", () => {
    assert.equal(preprocessDrawing(new Float32Array(280 * 280), 280, 280), null);
    assert.equal(preprocessDrawing(new Float32Array(100).fill(0.01), 10, 10), null);
  });

  test("an off-centre 100 × 50 rectangle on 280 × 280 becomes 20 × 10, centred at (14, 14)", () => {
    const { gray, fill } = canvas(280, 280);
    fill(30, 150, 100, 50);
    const out = preprocessDrawing(gray, 280, 280);
    assert.ok(out !== null && out.length === 784);
    const d = describeOutput(out);
    assert.equal(d.width, 20);
    assert.equal(d.height, 10);
    assert.ok(Math.abs(d.comX - 14) <= 0.5 && Math.abs(d.comY - 14) <= 0.5, `centre of mass (${d.comX}, ${d.comY})`);
    // Ink scales with the area: 5000 × (20 × 10) / (100 × 50) = 200.
    assert.ok(Math.abs(d.mass - 200) < 1e-3, `mass ${d.mass}`);
  });

  test("a tall rectangle with a non-integer scale: long side 20, anti-aliased, centred", () => {
    const { gray, fill } = canvas(280, 280);
    fill(200, 13, 41, 97);
    const out = preprocessDrawing(gray, 280, 280)!;
    const d = describeOutput(out);
    assert.equal(d.height, 20);
    assert.equal(d.width, Math.round((41 * 20) / 97)); // 8
    assert.ok(Math.abs(d.comX - 14) <= 0.5 && Math.abs(d.comY - 14) <= 0.5, `centre of mass (${d.comX}, ${d.comY})`);
  });

  test("total ink of an uneven stroke scales with the area ratio", () => {
    const width = 200;
    const height = 150;
    const gray = new Float32Array(width * height);
    // A thick ring of varying intensity, bounding box 121 × 81 starting at (40, 30).
    let inkIn = 0;
    for (let y = 30; y <= 110; y++) {
      for (let x = 40; x <= 160; x++) {
        const r = Math.hypot((x - 100) / 60, (y - 70) / 40);
        if (r <= 1 && r >= 0.6) {
          const v = 0.3 + (0.7 * ((x * 7 + y * 3) % 10)) / 9;
          gray[y * width + x] = v;
          inkIn += v;
        }
      }
    }
    const out = preprocessDrawing(gray, width, height)!;
    const outWidth = 20;
    const outHeight = Math.round((81 * 20) / 121);
    const d = describeOutput(out);
    const expected = (inkIn * outWidth * outHeight) / (121 * 81);
    assert.ok(Math.abs(d.mass - expected) / expected < 1e-5, `mass ${d.mass}, expected ${expected}`);
  });

  test("a small drawing is scaled up", () => {
    const { gray, fill } = canvas(10, 10);
    fill(1, 2, 4, 2);
    const d = describeOutput(preprocessDrawing(gray, 10, 10)!);
    assert.equal(d.width, 20);
    assert.equal(d.height, 10);
    assert.ok(Math.abs(d.mass - 200) < 1e-6);
  });

  test("ink heavy on one side is shifted only as far as the frame allows", () => {
    const { gray, fill } = canvas(100, 100);
    fill(10, 10, 10, 80); // heavy bar on the left
    fill(20, 10, 70, 1, 0.1); // faint line widening the box to 80 px
    const out = preprocessDrawing(gray, 100, 100)!;
    const d = describeOutput(out);
    assert.equal(d.width, 20);
    // Centring the mass would push the box past the right edge: it is clamped to columns 8 … 27.
    assert.ok(out[14 * SIZE + 8] > 0.5, "digit box starts at column 8");
    assert.equal(out[14 * SIZE + 7], 0);
    assert.ok(d.comX < 13.5);
  });

  test("shape mismatch is rejected", () => {
    assert.throws(() => preprocessDrawing(new Float32Array(10), 4, 4), /expected width × height = 4 × 4 = 16 values, found 10/);
  });
});
