import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveSeed } from "../../../../src/lib/random.js";

describe("deriveSeed", () => {
  test("walks the path one step at a time and gives integers in [0, 2^31)", () => {
    assert.equal(deriveSeed(42), 42);
    assert.equal(deriveSeed(42, 3, 5), deriveSeed(deriveSeed(42, 3), 5));
    const seeds = [deriveSeed(1, 1, 0), deriveSeed(1, 0, 1), deriveSeed(1, 1, 1), deriveSeed(2, 1, 0), deriveSeed(1, 1, 0, 0)];
    assert.equal(new Set(seeds).size, seeds.length, `distinct paths collided: ${seeds.join(", ")}`);
    assert.ok(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31));
  });
});
