import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  firingRates,
  randomDictionaryAtFiringRate,
  randomDictionaryCodes,
  randomDirections,
  randomProjections,
  thresholdToFiringRate,
} from "../../../../../src/lib/ground-truth/controls.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

const rows = 200;
const cols = 16;
const random = mulberry32(9);
// A ReLU-like input with a large mean: non-negative, offset.
const input = { rows, cols, data: Float32Array.from({ length: rows * cols }, () => 3 + Math.max(0, gaussian(random))) };

describe("random directions", () => {
  test("unit length, seeded", () => {
    const w = randomDirections(cols, 8, 1);
    for (let j = 0; j < 8; j++) {
      let norm = 0;
      for (let i = 0; i < cols; i++) norm += w[i * 8 + j] ** 2;
      assert.ok(Math.abs(norm - 1) < 1e-12);
    }
    assert.deepEqual(w, randomDirections(cols, 8, 1));
    assert.notDeepEqual(w, randomDirections(cols, 8, 2));
  });
  test("projections are centred: each latent's mean over rows is 0", () => {
    const p = randomProjections(input, 8, 1);
    for (let j = 0; j < 8; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += p.data[r * 8 + j];
      assert.ok(Math.abs(sum / rows) < 1e-4, `latent ${j} mean ${sum / rows}`);
    }
  });
});

describe("randomDictionaryCodes", () => {
  const dSae = 32;
  const k = 4;
  const codes = randomDictionaryCodes(input, dSae, k, 7);
  const pre = randomProjections(input, dSae, 7);
  test("exactly k nonzeros per row when the row has k positive projections, and they are the k largest", () => {
    assert.equal(codes.rows, rows);
    assert.equal(codes.cols, dSae);
    for (let r = 0; r < rows; r++) {
      const p = Array.from(pre.data.subarray(r * dSae, (r + 1) * dSae));
      const positives = p.filter((v) => v > 0).length;
      const row = codes.data.subarray(r * dSae, (r + 1) * dSae);
      const kept = Array.from(row.keys()).filter((j) => row[j] !== 0);
      assert.equal(kept.length, Math.min(k, positives));
      const kth = [...p].sort((a, b) => b - a)[k - 1];
      for (const j of kept) {
        assert.equal(row[j], p[j]);
        assert.ok(p[j] >= kth);
      }
    }
  });
  test("the same seed gives the same codes, another seed others", () => {
    assert.deepEqual(randomDictionaryCodes(input, dSae, k, 7), codes);
    assert.notDeepEqual(randomDictionaryCodes(input, dSae, k, 8).data, codes.data);
  });
  test("a shift of the input's mean changes nothing (inputs are centred)", () => {
    const shifted = { rows, cols, data: input.data.map((v) => v - 3) };
    const other = randomDictionaryCodes(shifted, dSae, k, 7);
    for (let i = 0; i < codes.data.length; i++) assert.ok(Math.abs(other.data[i] - codes.data[i]) < 1e-4);
  });
  test("k nonzeros are capped by the positives: a row of equal inputs has none", () => {
    const flat = { rows: 3, cols: 2, data: Float32Array.from([1, 1, 1, 1, 1, 1]) };
    assert.ok(randomDictionaryCodes(flat, 4, 2, 1).data.every((v) => v === 0));
    assert.throws(() => randomDictionaryCodes(input, 4, 5, 1), /k \(5\) must be at most dSae \(4\)/);
  });
});

describe("randomDictionaryAtFiringRate", () => {
  test("every latent fires on the stated fraction of rows, on its largest projections", () => {
    const codes = randomDictionaryAtFiringRate(input, 24, 0.1, 3);
    const pre = randomProjections(input, 24, 3);
    const { rates, live, meanLive } = firingRates(codes);
    assert.ok(rates.every((r) => r === 0.1));
    assert.equal(live, 24);
    assert.ok(Math.abs(meanLive - 0.1) < 1e-12);
    for (let j = 0; j < 24; j++) {
      const column = Array.from({ length: rows }, (_, r) => pre.data[r * 24 + j]);
      const cut = [...column].sort((a, b) => b - a)[19];
      for (let r = 0; r < rows; r++) assert.equal(codes.data[r * 24 + j] > 0, column[r] >= cut);
    }
  });
  test("per-latent rates, and the same directions as randomDictionaryCodes", () => {
    const rates = Float64Array.from({ length: 8 }, (_, j) => j / 20);
    const codes = randomDictionaryAtFiringRate(input, 8, rates, 3);
    assert.deepEqual(
      Array.from(firingRates(codes).rates),
      Array.from(rates, (r) => Math.round(r * rows) / rows),
    );
    // At rate 1 every row fires, and the codes keep the order of the projections (a ReLU with a
    // bias below the smallest one); the same seed as randomProjections, so the same directions.
    const all = randomDictionaryAtFiringRate(input, 8, 1, 3);
    const p = randomProjections(input, 8, 3);
    assert.ok(firingRates(all).rates.every((r) => r === 1));
    for (let j = 0; j < 8; j++) {
      for (let r = 0; r < rows - 1; r++) {
        const a = all.data[r * 8 + j] - all.data[(r + 1) * 8 + j];
        const b = p.data[r * 8 + j] - p.data[(r + 1) * 8 + j];
        assert.ok(Math.abs(a - b) < 1e-5, `latent ${j}, rows ${r}, ${r + 1}`);
      }
    }
    assert.throws(() => randomDictionaryAtFiringRate(input, 8, 1.5, 3), /rates must be in \[0, 1\]/);
  });
});

describe("thresholdToFiringRate", () => {
  test("keeps each unit's top fraction of rows, values unchanged", () => {
    const m = { rows: 4, cols: 2, data: Float32Array.from([4, 1, 3, 2, 2, 3, 1, 4]) };
    const out = thresholdToFiringRate(m, 0.5);
    assert.deepEqual(Array.from(out.data), [4, 0, 3, 0, 0, 3, 0, 4]);
    assert.deepEqual(Array.from(firingRates(out).rates), [0.5, 0.5]);
  });
  test("ties at the cut go to the lower rows; per-unit rates", () => {
    const m = { rows: 4, cols: 2, data: Float32Array.from([1, 5, 1, 5, 1, 5, 1, 5]) };
    const out = thresholdToFiringRate(m, Float64Array.from([0.5, 0.25]));
    assert.deepEqual(Array.from(out.data), [1, 5, 1, 0, 0, 0, 0, 0]);
  });
  test("a unit active on fewer rows than the rate keeps only what it has", () => {
    const m = { rows: 4, cols: 1, data: Float32Array.from([0, 2, 0, 0]) };
    assert.deepEqual(firingRates(thresholdToFiringRate(m, 0.5)).rates, Float64Array.from([0.25]));
  });
  test("on a wider input, the stated rate exactly", () => {
    const positive = { rows, cols, data: input.data.map((v) => v - 2.5) };
    const out = thresholdToFiringRate(positive, 0.3);
    assert.ok(firingRates(out).rates.every((r) => r === 0.3));
  });
});

describe("firingRates", () => {
  test("fraction of rows above 0; mean over live units only", () => {
    const m = { rows: 4, cols: 3, data: Float32Array.from([1, 0, 0, 1, 0, -1, 0, 0, 0, 0, 0, 0]) };
    const f = firingRates(m);
    assert.deepEqual(Array.from(f.rates), [0.5, 0, 0]);
    assert.equal(f.live, 1);
    assert.equal(f.meanLive, 0.5);
  });
});
