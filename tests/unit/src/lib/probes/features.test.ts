import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeFeatures, PIXELS } from "../../../../../src/lib/probes/features.js";
import { networkActivations } from "../../../../../src/lib/network/forward.js";
import { pcaBasis } from "../../../../../src/lib/sae/fit-basis.js";
import { toBasis } from "../../../../../src/lib/sae/basis.js";
import { encodeReference } from "../../../../../src/lib/sae/encode.js";
import type { SaeWeights } from "../../../../../src/lib/sae/weights.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { assertClose, networkOf, normalizedMlp, smallCnn } from "../network/fixtures.js";

function images(count: number, size: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: count * size }, () => Math.floor(random() * 256));
}

function topkSae(dIn: number, dSae: number, seed: number): SaeWeights {
  const random = mulberry32(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => 0.5 * gaussian(random));
  return {
    architecture: "topk",
    dIn,
    dSae,
    k: 2,
    W_enc: values(dIn * dSae),
    b_enc: values(dSae),
    W_dec: values(dSae * dIn),
    b_dec: values(dIn),
    inputScale: 1.3,
  };
}

describe("probe features", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("the pixels are the images in [0, 1]", async () => {
    const network = await networkOf(normalizedMlp());
    const pixels = images(3, 6, 1);
    const features = await probeFeatures(tf, network, pixels, 3, { layer: PIXELS, basis: null, sae: null });
    assert.deepEqual([features.rows, features.cols], [3, 6]);
    assertClose(
      features.data,
      Array.from(pixels, (v) => v / 255),
      1e-7,
      "pixels",
    );
  });

  test("a dense layer's neurons are its activations, batched or not, and leave no tensors", async () => {
    const network = await networkOf(normalizedMlp());
    const pixels = images(7, 6, 2);
    const expected = (
      await networkActivations(
        tf,
        network,
        Float32Array.from(pixels, (v) => v / 255),
        7,
      )
    ).relu_1;
    const before = tf.memory().numTensors;
    const features = await probeFeatures(tf, network, pixels, 7, { layer: "relu_1", basis: null, sae: null }, { batchSize: 3 });
    assert.equal(tf.memory().numTensors, before, "leaked tensors");
    assert.deepEqual([features.rows, features.cols], [7, 5]);
    assertClose(features.data, expected.data, 1e-6, "relu_1");
  });

  test("a conv layer gives each channel's mean over the map; an SAE on a basis reads each position, then its codes are averaged", async () => {
    const network = await networkOf(smallCnn());
    const count = 4;
    const pixels = images(count, 105, 3);
    const maps = (
      await networkActivations(
        tf,
        network,
        Float32Array.from(pixels, (v) => v / 255),
        count,
      )
    ).relu_1;
    const channels = 5;
    const positions = maps.cols / channels;
    assert.equal(positions, 15, "a 5 × 3 map");
    const means = new Float64Array(count * channels);
    for (let i = 0; i < count; i++)
      for (let p = 0; p < positions; p++)
        for (let c = 0; c < channels; c++) means[i * channels + c] += maps.data[(i * positions + p) * channels + c] / positions;
    const pooled = await probeFeatures(tf, network, pixels, count, { layer: "relu_1", basis: null, sae: null }, { batchSize: 3 });
    assertClose(pooled.data, means, 1e-5, "spatial means");

    const rows = { rows: count * positions, cols: channels, data: maps.data };
    const basis = pcaBasis(rows);
    const sae = topkSae(basis.dIn, 7, 4);
    const inBasis = toBasis(basis, rows);
    const expected = new Float64Array(count * 7);
    for (let row = 0; row < rows.rows; row++) {
      const codes = encodeReference(sae, inBasis.data.subarray(row * basis.dIn, (row + 1) * basis.dIn));
      const image = Math.floor(row / positions);
      for (let j = 0; j < 7; j++) expected[image * 7 + j] += codes[j] / positions;
    }
    const codes = await probeFeatures(tf, network, pixels, count, { layer: "relu_1", basis, sae }, { batchSize: 3 });
    assert.deepEqual([codes.rows, codes.cols], [count, 7]);
    assertClose(codes.data, expected, 1e-4, "pooled SAE codes");
  });

  test("mismatched widths and image counts are named", async () => {
    const network = await networkOf(normalizedMlp());
    await assert.rejects(
      probeFeatures(tf, network, images(2, 6, 5), 3, { layer: "relu_1", basis: null, sae: null }),
      /expected 3 images of 6 pixels \(18 values\), found 12 values/,
    );
    await assert.rejects(
      probeFeatures(tf, network, images(2, 6, 5), 2, { layer: "relu_1", basis: null, sae: topkSae(4, 6, 1) }),
      /the SAE reads 4 values, relu_1 gives 5/,
    );
  });
});
