import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { erfc, normalUpperQuantile, normalUpperTail, UpperTailTest } from "../../../../../src/lib/planted/normal.js";
import { mulberry32 } from "../../../../../src/lib/random.js";

describe("the normal upper tail", () => {
  test("erfc within 1.2e-7 (relative) of reference values, tails included", () => {
    const reference: [number, number][] = [
      [0, 1],
      [0.5, 0.479500122186953],
      [1, 0.157299207050285],
      [2, 0.00467773498104727],
      [3, 2.20904969985854e-5],
      [5, 1.53745979442803e-12],
      [-1, 1.842700792949715],
    ];
    for (const [x, expected] of reference) {
      const error = Math.abs(erfc(x) - expected) / expected;
      assert.ok(error < 1.2e-7, `erfc(${x}) = ${erfc(x)}, expected ${expected} (relative error ${error})`);
    }
  });

  test("the quantile inverts the tail: Q(1.959964) ≈ 0.025, and round trips down to p = 1e-12", () => {
    assert.ok(Math.abs(normalUpperQuantile(0.025) - 1.959964) < 1e-5);
    for (const q of [0.9, 0.5, 0.1, 1e-3, 1e-6, 1e-12]) {
      const t = normalUpperQuantile(q);
      assert.ok(Math.abs(normalUpperTail(t) - q) / q < 1e-9, `Q(${t}) = ${normalUpperTail(t)}, expected ${q}`);
    }
    assert.equal(normalUpperQuantile(1), -Infinity);
    assert.equal(normalUpperQuantile(0), Infinity);
  });

  test("the tabulated test decides u < Q(x) exactly as the direct comparison does", () => {
    const tail = new UpperTailTest();
    const random = mulberry32(3);
    for (let i = 0; i < 200_000; i++) {
      const x = random() * 24 - 12;
      // Half the uniforms are put right next to Q(x), where only the exact evaluation can tell.
      const q = normalUpperTail(x);
      const u = i % 2 === 0 ? random() : Math.max(0, q + (random() - 0.5) * 1e-9);
      assert.equal(tail.below(u, x), u < q, `u = ${u}, x = ${x}, Q(x) = ${q}`);
    }
  });
});
