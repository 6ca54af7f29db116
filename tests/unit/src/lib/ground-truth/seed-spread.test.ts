import { test } from "node:test";
import assert from "node:assert/strict";
import { formatSpread, seedDifference, seedSpread } from "../../../../../src/lib/ground-truth/seed-spread.js";

test("mean and sample sd by hand: 1, 2, 3, 4, 5 has mean 3 and sd √2.5", () => {
  const s = seedSpread([1, 2, 3, 4, 5]);
  assert.equal(s.mean, 3);
  assert.ok(Math.abs(s.sd - Math.sqrt(2.5)) < 1e-12);
  assert.deepEqual([s.n, s.min, s.max], [5, 1, 5]);
  assert.equal(formatSpread(s), "3.00 ± 1.58");
});

test("NaN runs are left out; one run has no sd; none has no mean", () => {
  const one = seedSpread([NaN, 0.5]);
  assert.equal(one.n, 1);
  assert.ok(Number.isNaN(one.sd));
  assert.equal(formatSpread(one), "0.50");
  assert.equal(formatSpread(seedSpread([])), "n/a");
});

test("a difference counts only beyond 2·√(sd_a² + sd_b²)", () => {
  const a = seedSpread([1.0, 1.1, 0.9]); // sd 0.1
  const b = seedSpread([0.6, 0.7, 0.5]); // sd 0.1
  const d = seedDifference(a, b);
  assert.ok(Math.abs(d.difference - 0.4) < 1e-12);
  assert.ok(Math.abs(d.noise - 2 * Math.sqrt(0.02)) < 1e-12);
  assert.equal(d.beyondNoise, true);
  assert.equal(seedDifference(a, seedSpread([0.85, 0.95, 0.75])).beyondNoise, false);
  assert.equal(seedDifference(a, seedSpread([0.1])).beyondNoise, false, "no spread on one side: nothing counts");
});
