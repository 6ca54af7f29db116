import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { drawingPad } from "../../../../src/components/drawing-pad.js";

describe("drawingPad option checks", () => {
  test("size is an integer of at least 8 pixels", () => {
    assert.throws(() => drawingPad({ size: 4 }), /drawingPad size: expected an integer number of pixels ≥ 8, found 4/);
    assert.throws(() => drawingPad({ size: 100.5 }), /found 100\.5/);
  });
  test("line width fits in the pad", () => {
    assert.throws(() => drawingPad({ size: 100, lineWidth: 0 }), /drawingPad lineWidth: expected a width in \(0, 100\] pixels, found 0/);
  });
});
