// Feature absorption on constructed layers whose answer is known: a concept carried by neuron 0,
// a general latent A (decoder e0) that fires on most of the concept's images, and children of the
// concept on whose images A is silent and an absorbing latent fires instead, with decoder
// (e0 + e_m)/√2 aligned with the concept's direction. The absorption rate must be the children's
// share of the concept's images; when A keeps firing, or what fires instead is not aligned with
// the concept, it must be 0.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { ABSORPTION_SETUP, absorption, decoderInNeuronSpace, mainLatentsFromProbes } from "../../../../../src/lib/ground-truth/absorption.js";
import { splitRows } from "../../../../../src/lib/ground-truth/sparse-probing.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

// Neurons and latents share indices: 0 = the concept (latent A), 1..10 = a child's own direction
// (absorbers B_1..B_10), 11 and 12 = features of the images without the concept, 13 = a feature
// of both kinds of images, unaligned with the concept.
const D = 14;
const A = 0;
const UNALIGNED = 13;

/** latent j's decoder in neuron space */
function decoderRows(): Float32Array {
  const w = new Float32Array(D * D);
  for (let j = 0; j < D; j++) w[j * D + j] = 1;
  for (let m = 1; m <= 10; m++) {
    w[m * D + m] = Math.SQRT1_2;
    w[m * D + 0] = Math.SQRT1_2;
  }
  return w;
}

/** What happens on a concept image that is not a plain "A" image. */
type Child = "absorbed" | "both fire" | "unaligned";

interface Layer {
  neurons: ActivationMatrix;
  codes: ActivationMatrix;
  positive: Uint8Array;
  /** 0 = plain A image or no concept; m ≥ 1 = the child handled by latent m (UNALIGNED for "unaligned"). */
  child: Uint8Array;
  decoder: Float32Array;
}

/**
 * `images` images, half with the concept. Of the concept images, `childEvery` sets which become a
 * child: the i-th concept image is a child of absorber 1 + (i / childEvery) % absorbers when
 * i % childEvery === 0 (so the children's share is 1 / childEvery).
 */
function layer(images: number, childEvery: number, kind: Child, absorbers = 1, offset = 0): Layer {
  const random = mulberry32(7);
  const decoder = decoderRows();
  const codes = new Float32Array(images * D);
  const neurons = new Float32Array(images * D);
  const positive = new Uint8Array(images);
  const child = new Uint8Array(images);
  let conceptIndex = 0;
  for (let r = 0; r < images; r++) {
    const code = (j: number, v: number) => (codes[r * D + j] = v);
    if (r % 2 === 0) {
      positive[r] = 1;
      const i = conceptIndex++;
      const strength = 2.5 + random();
      if (i % childEvery !== 0) code(A, strength);
      else if (kind === "absorbed") {
        child[r] = 1 + (Math.floor(i / childEvery) % absorbers);
        code(child[r], strength * Math.SQRT2);
      } else if (kind === "both fire") {
        child[r] = 1;
        code(A, strength);
        code(1, Math.SQRT2);
      } else {
        child[r] = UNALIGNED;
        neurons[r * D + 0] = strength; // the concept is there, but no latent along it fires
        code(UNALIGNED, strength);
      }
    } else {
      code(11 + (r % 4 === 1 ? 0 : 1), 1 + random());
      if (r % 3 === 0) code(UNALIGNED, 2.5 + random());
    }
    for (let j = 0; j < D; j++) {
      const c = codes[r * D + j];
      if (c !== 0) for (let f = 0; f < D; f++) neurons[r * D + f] += c * decoder[j * D + f];
    }
    for (let f = 0; f < D; f++) neurons[r * D + f] += offset + 0.05 * gaussian(random);
  }
  return { neurons: { rows: images, cols: D, data: neurons }, codes: { rows: images, cols: D, data: codes }, positive, child, decoder };
}

function run(l: Layer, origin?: ArrayLike<number>) {
  const split = splitRows(l.neurons.rows, 0.5, 3, l.positive);
  return {
    split,
    result: absorption(
      tf,
      { concept: { name: "concept", positive: l.positive }, neurons: l.neurons, codes: l.codes, decoder: l.decoder, split },
      origin ? { origin } : {},
    ),
  };
}

const childrenInTest = (l: Layer, test: Uint32Array) => test.filter((r) => l.child[r] !== 0).length;
const conceptInTest = (l: Layer, test: Uint32Array) => test.filter((r) => l.positive[r] === 1).length;

describe("absorption", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("one absorbing child: the rate is the child's share of the concept's images", async () => {
    const l = layer(3000, 25, "absorbed");
    const { split, result } = run(l);
    const r = await result;
    const children = childrenInTest(l, split.test);
    assert.equal(r.probe.testF1, 1);
    assert.ok(r.probe.usable);
    assert.deepEqual(r.mainLatents, [A]);
    assert.equal(r.conceptImages, conceptInTest(l, split.test));
    assert.equal(r.images, r.conceptImages, "the probe is right on every concept image");
    assert.equal(r.fullyAbsorbed, children);
    assert.equal(r.rate, children / r.images);
    assert.ok(Math.abs(r.rate - 1 / 25) < 0.01, `rate ${r.rate}`);
    assert.equal(r.falseNegativeRate, r.rate);
    assert.equal(r.meanAbsorptionFraction, r.rate);
    assert.equal(r.absorbers.length, 1);
    assert.equal(r.absorbers[0].latent, 1);
    assert.equal(r.absorbers[0].count, children);
    assert.ok(r.absorbers[0].cosine >= ABSORPTION_SETUP.fractionCosineThreshold, `absorber cosine ${r.absorbers[0].cosine}`);
    assert.ok(r.mainLatentCosines[0] >= ABSORPTION_SETUP.fractionCosineThreshold, `main latent cosine ${r.mainLatentCosines}`);
    assert.equal(r.sparseProbes.length, 10);
  });

  test("ten absorbing children of 2.5% each: the rate is their total share, 25%", async () => {
    const l = layer(4000, 4, "absorbed", 10);
    const { split, result } = run(l);
    const r = await result;
    assert.deepEqual(r.mainLatents, [A]);
    assert.equal(r.rate, childrenInTest(l, split.test) / r.images);
    assert.ok(Math.abs(r.rate - 0.25) < 0.02, `rate ${r.rate}`);
    assert.deepEqual(
      r.absorbers.map((a) => a.latent).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(
      r.absorbers.reduce((s, a) => s + a.count, 0),
      r.fullyAbsorbed,
    );
  });

  test("no absorption when the general latent keeps firing beside the specific one", async () => {
    const l = layer(3000, 10, "both fire");
    const r = await run(l).result;
    assert.deepEqual(r.mainLatents, [A]);
    assert.equal(r.rate, 0);
    assert.equal(r.falseNegativeRate, 0);
    assert.deepEqual(r.absorbers, []);
  });

  test("the main latent silent with only an unaligned latent firing: false negatives, no absorption", async () => {
    const l = layer(3000, 25, "unaligned");
    const { split, result } = run(l);
    const r = await result;
    assert.deepEqual(r.mainLatents, [A]);
    assert.equal(r.rate, 0);
    assert.equal(r.meanAbsorptionFraction, 0);
    assert.equal(r.falseNegativeRate, childrenInTest(l, split.test) / r.images);
    assert.ok(r.falseNegativeRate > 0.02);
  });

  test("an origin subtracts a constant offset of the neurons before projecting", async () => {
    const offset = 3;
    const plain = await run(layer(3000, 25, "absorbed")).result;
    const l = layer(3000, 25, "absorbed", 1, offset);
    const shifted = await run(l, new Float32Array(D).fill(offset)).result;
    assert.equal(shifted.rate, plain.rate);
    assert.deepEqual(
      shifted.absorbers.map((a) => [a.latent, a.count]),
      plain.absorbers.map((a) => [a.latent, a.count]),
    );
    // without the origin the offset's own projection dominates every image's
    const raw = await run(l).result;
    assert.notEqual(raw.rate, plain.rate);
  });

  test("rejects a decoder of the wrong size and mismatched rows", async () => {
    const l = layer(200, 25, "absorbed");
    const concept = { name: "c", positive: l.positive };
    await assert.rejects(
      absorption(tf, { concept, neurons: l.neurons, codes: l.codes, decoder: new Float32Array(5) }),
      /decoder must be \[dSae × dNeurons\] = 14 × 14 = 196 values, found 5/,
    );
    await assert.rejects(
      absorption(tf, { concept: { name: "c", positive: l.positive.subarray(1) }, neurons: l.neurons, codes: l.codes, decoder: l.decoder }),
      /concept c has 199 values for 200 images/,
    );
  });
});

describe("mainLatentsFromProbes", () => {
  const probe = (k: number, f1: number) => ({
    k,
    columns: Array.from({ length: k }, (_, i) => i),
    testAccuracy: f1,
    testF1: f1,
    testAuroc: f1,
    trainAccuracy: f1,
    trainRows: 1,
    testRows: 1,
  });

  test("keeps growing k while F1 jumps by more than 0.03", () => {
    assert.deepEqual(mainLatentsFromProbes([probe(1, 0.6), probe(2, 0.7), probe(3, 0.72), probe(4, 0.9)]), [0, 1]);
    assert.deepEqual(mainLatentsFromProbes([probe(1, 0.6), probe(2, 0.62)]), [0]);
    assert.deepEqual(mainLatentsFromProbes([probe(1, NaN)]), []);
  });
});

describe("decoderInNeuronSpace", () => {
  test("divides by the input scale and maps through a basis' inverse, the offset through its mean", () => {
    const sae = { dIn: 2, dSae: 2, W_dec: Float32Array.of(2, 0, 0, 4), b_dec: Float32Array.of(2, 2), inputScale: 2 };
    const plain = decoderInNeuronSpace(sae);
    assert.deepEqual(Array.from(plain.decoder), [1, 0, 0, 2]);
    assert.deepEqual(Array.from(plain.offset), [1, 1]);
    // a basis of 2 components over 3 neurons: inverse rows are the components' neuron directions
    const basis = {
      name: "pca" as const,
      dLayer: 3,
      dIn: 2,
      mean: Float32Array.of(10, 20, 30),
      transform: new Float32Array(6),
      inverse: Float32Array.of(1, 0, 0, 0, 1, 1),
    };
    const mapped = decoderInNeuronSpace(sae, basis);
    assert.deepEqual(Array.from(mapped.decoder), [1, 0, 0, 0, 2, 2]);
    assert.deepEqual(Array.from(mapped.offset), [11, 21, 31]);
  });
});
