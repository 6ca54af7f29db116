import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { basisFromJson, basisToJson, checkProbeFile, type ProbeFile, type ProbeInputResult } from "../../../../../src/lib/probes/probe-file.js";
import { probedSaes } from "../../../../../src/lib/probes/probed-saes.js";
import { columnsNeeded, halfwayEpoch, probeReading } from "../../../../../src/components/probes/reading.js";
import { PROBE_SETUP } from "../../../../../src/lib/probes/setup.js";
import { modelEntry } from "../../../../../src/lib/models/registry.js";
import { saeSweep } from "../../../../../src/lib/sae/sweep.js";
import { SAE_ARCHITECTURES } from "../../../../../src/lib/sae/config.js";
import type { SweepFileSae } from "../../../../../src/lib/sae/sweep-file.js";

function input(id: string, accuracy: number, features: number, sparse: [number, number][]): ProbeInputResult {
  const sae = id.includes("/") ? id : null;
  return {
    id,
    basis: sae ? "neurons" : (id as "neurons"),
    sae,
    features,
    logistic: { trainAccuracy: accuracy + 0.01, testAccuracy: accuracy, perClass: [accuracy, accuracy], iterations: 10, stop: "tolerance", seconds: 1 },
    weights: new Array(2 * features).fill(0),
    svm: { trainAccuracy: accuracy, testAccuracy: accuracy - 0.005, seconds: 1 },
    control: { trainAccuracy: 0.4, testAccuracy: 0.3 },
    selectivity: accuracy - 0.3,
    sparse: sparse.map(([k, testAccuracy]) => ({ k, columns: [], testAccuracy })),
  };
}

function file(): ProbeFile {
  return {
    model: "m",
    classNames: ["a", "b"],
    setup: PROBE_SETUP,
    trainImages: 10,
    testImages: 10,
    control: { clusters: 4, iterations: 3, labelsPerDigit: [2, 2] },
    pixels: input("pixels", 0.9, 4, [
      [1, 0.6],
      [4, 0.9],
    ]),
    layers: [
      {
        layer: "relu_1",
        spatial: false,
        width: 4,
        bases: [],
        inputs: [
          input("neurons", 0.8, 4, [
            [1, 0.5],
            [2, 0.795],
            [4, 0.8],
          ]),
          input("neurons/topk-x4-k4", 0.85, 16, [
            [1, 0.7],
            [2, 0.75],
            [4, 0.8],
            [8, 0.845],
            [16, 0.85],
          ]),
        ],
        randomInit: { trainAccuracy: 0.6, testAccuracy: 0.55 },
        epochs: [
          { epoch: 0, testAccuracy: 0.55 },
          { epoch: 1, testAccuracy: 0.6 },
          { epoch: 2, testAccuracy: 0.7 },
          { epoch: 3, testAccuracy: 0.8 },
        ],
      },
    ],
    seconds: 1,
  };
}

describe("probe file", () => {
  test("a complete file passes; a missing accuracy or a short weight list is named", () => {
    assert.equal(checkProbeFile(file()).model, "m");
    const broken = file();
    (broken.layers[0].inputs[1].logistic as { testAccuracy: unknown }).testAccuracy = "x";
    assert.throws(() => checkProbeFile(broken, "p.json"), /p\.json: expected relu_1 neurons\/topk-x4-k4: a logistic test accuracy, found "x"/);
    const short = file();
    short.pixels.weights.pop();
    assert.throws(() => checkProbeFile(short, "p.json"), /p\.json: expected pixels: 2 × 4 weights, found 7/);
    assert.throws(() => checkProbeFile(null, "p.json"), /p\.json: expected an object, found null/);
  });

  test("a basis survives the JSON round trip exactly", () => {
    const basis = {
      name: "pca" as const,
      dLayer: 2,
      dIn: 2,
      mean: Float32Array.of(0.1, 0.2),
      transform: Float32Array.of(0.6, 0.8, -0.8, 0.6),
      inverse: Float32Array.of(0.6, 0.8, -0.8, 0.6),
    };
    const back = basisFromJson(JSON.parse(JSON.stringify(basisToJson(basis))));
    assert.deepEqual(back, basis);
  });
});

describe("probed SAEs", () => {
  test("one per architecture and basis: the reduced grid's 4x SAEs at the sparser setting, on the full grid and on a reduced one", () => {
    for (const [model, expected] of [
      ["baseline-mlp", 3 * SAE_ARCHITECTURES.length],
      ["dropout-mlp", SAE_ARCHITECTURES.length],
    ] as const) {
      const layer = saeSweep(modelEntry(model))[0];
      const saes = layer.saes.map((s) => ({ id: s.id, basis: s.basis, config: s.config }) as unknown as SweepFileSae);
      const probed = probedSaes({ dLayer: layer.width, saes });
      assert.equal(probed.length, expected, model);
      assert.ok(probed.every((s) => s.id.includes("-x4-")));
      assert.deepEqual(
        probed
          .filter((s) => s.basis === "neurons")
          .map((s) => s.id)
          .slice(0, 4),
        ["neurons/l1-x4-lambda2", "neurons/kl-x4-rho0.05-beta0.1", "neurons/topk-x4-k4", "neurons/batchtopk-x4-k4"],
      );
    }
  });
});

describe("probe reading", () => {
  test("columns needed, the halfway epoch and the paragraphs' numbers", () => {
    const f = file();
    const [neurons, sae] = f.layers[0].inputs;
    assert.equal(columnsNeeded(neurons), 2, "0.795 is within 1 pp of 0.8");
    assert.equal(columnsNeeded(sae), 8);
    // From 0.55 to 0.8: half the gain (0.125) is first reached at epoch 2 (0.7).
    assert.equal(halfwayEpoch(f.layers[0].epochs), 2);
    const text = probeReading(f, f.layers[0]).join("\n");
    assert.match(
      text,
      /the 4 neurons of relu_1 with 80\.0% test accuracy, against 90\.0% from the 4 raw pixels and 55\.0% from the same layer of the untrained network/,
    );
    assert.match(text, /scores 30\.0%, a selectivity of 50\.0 pp/);
    assert.match(text, /<code>neurons\/topk-x4-k4<\/code> \(16 latents\), give 85\.0%, 5\.0 pp above the neurons/);
    assert.match(text, /The neurons need 2 of 4 columns/);
    assert.match(text, /from 55\.0% at initialization to 80\.0% after epoch 3, with half of that gain by epoch 2/);
  });
});
