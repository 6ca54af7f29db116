import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { activationBars } from "../../../../src/components/activation-bars.js";

describe("activationBars input checks", () => {
  test("labels match the number of units", () => {
    assert.throws(
      () => activationBars([{ name: "logits", values: [1, 2, 3], labels: ["a", "b"] }]),
      /layers\[0\]\.labels \("logits", one per unit\): expected 3 values, found 2/,
    );
  });
  test("a bad later layer is reported before anything is drawn", () => {
    assert.throws(
      () =>
        activationBars([
          { name: "h1", values: [1] },
          { name: "h2", values: [0, NaN] },
        ]),
      /layers\[1\]\.values\[1\] \("h2"\): expected a finite number, found NaN/,
    );
  });
});
