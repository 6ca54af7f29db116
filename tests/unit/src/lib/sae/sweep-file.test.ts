import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import type { FittedBasis } from "../../../../../src/lib/sae/basis.js";
import { icaBasis, pcaBasis } from "../../../../../src/lib/sae/fit-basis.js";
import { saeConfig, type SaeConfigInput } from "../../../../../src/lib/sae/config.js";
import { evaluateSae } from "../../../../../src/lib/sae/evaluate.js";
import { cfgJson } from "../../../../../src/lib/sae/sae-files.js";
import type { BasisName } from "../../../../../src/lib/sae/sweep.js";
import { decodeSweepFile, encodeSweepFile, saeDownload, type SweepFile, type SweepFileSae } from "../../../../../src/lib/sae/sweep-file.js";
import type { SaeWeights } from "../../../../../src/lib/sae/weights.js";

const random = mulberry32(21);
const values = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * gaussian(random));

/** ReLU-like activations of a 3-unit layer whose last unit never fires (so ICA keeps 2 directions). */
const layer: ActivationMatrix = (() => {
  const data = new Float32Array(300 * 3);
  for (let r = 0; r < 300; r++) {
    const a = random() < 0.4 ? 2 * random() : 0;
    const b = random() < 0.4 ? 2 * random() : 0;
    data[r * 3] = a + 0.5 * b;
    data[r * 3 + 1] = Math.max(0, b - 0.3 * a + 0.1 * gaussian(random));
  }
  return { rows: 300, cols: 3, data };
})();
const pca = pcaBasis(layer);
const ica = icaBasis(layer, 1).basis;

function sweepSae(id: string, basis: BasisName, input: SaeConfigInput, fitted: FittedBasis | null): SweepFileSae {
  const config = saeConfig(input);
  const { dIn, dSae } = config;
  const weights: SaeWeights = {
    architecture: config.architecture,
    dIn,
    dSae,
    ...(config.architecture === "topk" ? { k: config.k } : {}),
    W_enc: values(dIn * dSae, 0.5),
    b_enc: values(dSae, 0.2),
    W_dec: values(dSae * dIn, 0.5),
    b_dec: values(dIn, 0.2),
    ...(config.architecture === "batchtopk" ? { threshold: Float32Array.from({ length: dSae }, (_, j) => 0.05 * j) } : {}),
    inputScale: 1.4,
  };
  return {
    id,
    basis,
    config,
    cfg: cfgJson(config, weights, { model: "tiny", layer: "relu_1", basis, spatial: false }, fitted),
    metrics: {
      l0: 1.5,
      fractionVarianceExplained: 0.9,
      normalizedMse: 0.1,
      meanSquaredError: 0.02,
      dead: [3],
      dense: [],
      densityHistogram: { edges: [-5, -2.5, 0], counts: [1, 4], dead: 1 },
      shrinkage: 0.97,
      relativeReconstructionBias: 1.01,
      accuracy: 0.9,
      crossEntropy: 0.3,
      originalAccuracy: 0.95,
      originalCrossEntropy: 0.2,
      zeroAblationCrossEntropy: 2.3,
      meanAblationCrossEntropy: 1.1,
      lossRecoveredZero: 0.95,
      lossRecoveredMean: 0.89,
    },
    history: [{ step: 1, loss: 3, mse: 1, l0: 4, deadFraction: 0 }],
    trainSeconds: 0.25,
    weights,
    fittedBasis: fitted,
  };
}

const file: SweepFile = {
  model: "tiny",
  layer: "relu_1",
  spatial: false,
  dLayer: 3,
  samples: { train: 300, evaluation: 300, how: "synthetic" },
  evaluationImages: Int32Array.of(4, 8, 15),
  bases: [
    { name: "pca", rows: 300 },
    { name: "ica", rows: 300, iterations: 12, converged: true },
  ],
  saes: [
    sweepSae("neurons/topk-x2-k2", "neurons", { architecture: "topk", dIn: 3, dSae: 6, k: 2 }, null),
    sweepSae("neurons/batchtopk-x2-k2", "neurons", { architecture: "batchtopk", dIn: 3, dSae: 6, k: 2 }, null),
    sweepSae("pca/l1-x2-lambda1", "pca", { architecture: "l1", dIn: 3, dSae: 6, l1Coefficient: 1 }, pca),
    sweepSae("ica/kl-x2-rho0.1-beta0.3", "ica", { architecture: "kl", dIn: 2, dSae: 6, rho: 0.1, beta: 0.3 }, ica),
    sweepSae("ica/topk-x2-k2", "ica", { architecture: "topk", dIn: 2, dSae: 6, k: 2 }, ica),
  ],
};

const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** A minimal safetensors reader (F32 only), written from the format's description, sharing nothing with the library. */
function readSafetensors(bytes: Uint8Array): Record<string, { shape: number[]; data: Float64Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  const tensors: Record<string, { shape: number[]; data: Float64Array }> = {};
  for (const [name, entry] of Object.entries(header) as [string, { dtype: string; shape: number[]; data_offsets: [number, number] }][]) {
    if (name === "__metadata__") continue;
    assert.equal(entry.dtype, "F32");
    const [begin, end] = entry.data_offsets;
    const data = new Float64Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(8 + headerLength + begin + 4 * i, true);
    tensors[name] = { shape: entry.shape, data };
  }
  return tensors;
}

/** x → x̂ by the recipe in cfg.json, with plain loops. */
function reconstruct(tensors: ReturnType<typeof readSafetensors>, cfg: Record<string, any>, x: ArrayLike<number>): number[] {
  const { d_in: dIn, d_sae: dSae, input_scale: scale } = cfg;
  const t = (name: string) => tensors[name].data;
  let z = Array.from(x);
  if (cfg.basis) {
    const dLayer = cfg.basis.d_layer;
    z = Array.from({ length: dIn }, (_, i) => z.reduce((s, v, c) => s + (v - t("basis_mean")[c]) * t("basis_transform")[i * dLayer + c], 0));
  }
  const pre = Array.from({ length: dSae }, (_, j) => t("b_enc")[j] + z.reduce((s, v, i) => s + (v * scale - t("b_dec")[i]) * t("W_enc")[i * dSae + j], 0));
  let f: number[];
  if (cfg.activation_fn === "relu") f = pre.map((p) => Math.max(0, p));
  else if (cfg.activation_fn === "sigmoid") f = pre.map((p) => 1 / (1 + Math.exp(-p)));
  else if (cfg.activation_fn === "jumprelu") f = pre.map((p, j) => (p > t("threshold")[j] ? p : 0));
  else {
    const kth = [...pre].sort((a, b) => b - a)[cfg.k - 1];
    f = pre.map((p) => (p >= kth && p > 0 ? p : 0));
  }
  const zHat = Array.from({ length: dIn }, (_, i) => (t("b_dec")[i] + f.reduce((s, v, j) => s + v * t("W_dec")[j * dIn + i], 0)) / scale);
  if (!cfg.basis) return zHat;
  const dLayer = cfg.basis.d_layer;
  return Array.from({ length: dLayer }, (_, c) => t("basis_mean")[c] + zHat.reduce((s, v, i) => s + v * t("basis_inverse")[i * dLayer + c], 0));
}

describe("SAE sweep file", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("round-trips every SAE's weights, basis, config, cfg.json, metrics and history, gzipped", async () => {
    const decoded = await decodeSweepFile(toArrayBuffer(gzipSync(encodeSweepFile(file))));
    assert.deepEqual(decoded, file);
    // SAEs on one basis share it.
    assert.equal(decoded.saes[3].fittedBasis, decoded.saes[4].fittedBasis);
  });

  test("a download's safetensors, read by a minimal reader, reproduces the library's reconstruction, basis included", async () => {
    const decoded = await decodeSweepFile(toArrayBuffer(encodeSweepFile(file)));
    for (const sae of decoded.saes) {
      const { safetensors, cfgJson } = saeDownload(decoded, sae.id);
      const cfg = JSON.parse(JSON.stringify(cfgJson));
      const tensors = readSafetensors(safetensors);
      const expectedNames = [
        "W_enc",
        "b_enc",
        "W_dec",
        "b_dec",
        ...(sae.config.architecture === "batchtopk" ? ["threshold"] : []),
        ...(sae.basis === "neurons" ? [] : ["basis_mean", "basis_transform", "basis_inverse"]),
      ];
      assert.deepEqual(Object.keys(tensors), expectedNames, sae.id);
      assert.equal(cfg.basis?.name, sae.basis === "neurons" ? undefined : sae.basis);
      const library = evaluateSae(tf, sae.weights, layer, { basis: sae.fittedBasis }).reconstruction;
      assert.equal(library.cols, 3);
      for (let r = 0; r < 40; r++) {
        const mine = reconstruct(tensors, cfg, layer.data.subarray(r * 3, r * 3 + 3));
        mine.forEach((v, c) => assert.ok(Math.abs(v - library.data[r * 3 + c]) < 1e-4, `${sae.id}, row ${r}, unit ${c}: ${v} vs ${library.data[r * 3 + c]}`));
      }
    }
  });

  test("unknown SAEs and foreign files are reported", async () => {
    const decoded = await decodeSweepFile(toArrayBuffer(encodeSweepFile(file)));
    assert.throws(() => saeDownload(decoded, "neurons/l1-x9-lambda3"), /tiny\/relu_1 has no SAE "neurons\/l1-x9-lambda3"; it has neurons\/topk-x2-k2, /);
    const { encodeBundle } = await import("../../../../../src/lib/codecs/tensor-bundle.js");
    await assert.rejects(
      decodeSweepFile(toArrayBuffer(encodeBundle([], { format: "other" })), "x.bin"),
      /x.bin: expected format "sae-sweep-v1", found "other"/,
    );
    const wrongBasis = { ...file, saes: [{ ...file.saes[2], fittedBasis: ica }] };
    assert.throws(() => encodeSweepFile(wrongBasis), /pca\/l1-x2-lambda1 reads the pca basis, but its fitted basis is ica/);
  });
});
