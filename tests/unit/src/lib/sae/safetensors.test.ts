import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors } from "../../../../../src/lib/sae/safetensors.js";
import { BASIS_APPLY, basisFromSafetensors, cfgJson, saeFromSafetensors, saeSafetensors, type SaeCfgJson } from "../../../../../src/lib/sae/sae-files.js";
import type { FittedBasis } from "../../../../../src/lib/sae/basis.js";
import { saeConfig } from "../../../../../src/lib/sae/config.js";
import { randomWeights } from "./fixtures.js";

describe("safetensors format", () => {
  test("the bytes: u64 LE header length, space-padded JSON header, little-endian float32 data", () => {
    const bytes = encodeSafetensors({ a: { shape: [2], data: Float32Array.of(1, 2) } });
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    assert.equal(json.length, 54); // padded to 56, a multiple of 8
    assert.equal(bytes.length, 8 + 56 + 8);
    assert.deepEqual(Array.from(bytes.subarray(0, 8)), [56, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(new TextDecoder().decode(bytes.subarray(8, 64)), json + "  ");
    // 1.0f = 0x3F800000 and 2.0f = 0x40000000, least significant byte first.
    assert.deepEqual(Array.from(bytes.subarray(64)), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40]);
  });

  test("round-trips tensors, their order and shapes, and string metadata", () => {
    const tensors = {
      W: { shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 1e-20, -0, 7) },
      empty: { shape: [0], data: new Float32Array(0) },
      b: { shape: [3], data: Float32Array.of(0.1, 0.2, 0.3) },
    };
    const file = decodeSafetensors(encodeSafetensors(tensors, { purpose: "test" }));
    assert.deepEqual(file.metadata, { purpose: "test" });
    assert.deepEqual(Object.keys(file.tensors), ["W", "empty", "b"]);
    for (const [name, tensor] of Object.entries(tensors)) {
      assert.deepEqual(file.tensors[name].shape, tensor.shape);
      assert.deepEqual(file.tensors[name].data, tensor.data);
    }
  });

  test("reads a file whose bytes do not start at offset 0 of their buffer", () => {
    const bytes = encodeSafetensors({ x: { shape: [1], data: Float32Array.of(5) } });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(Array.from(decodeSafetensors(shifted.subarray(3)).tensors.x.data), [5]);
  });

  test("bad files and bad tensors are reported", () => {
    assert.throws(() => decodeSafetensors(new Uint8Array(4)), /expected at least 8 bytes, found 4/);
    const withHeader = (header: object, dataBytes: number) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const bytes = new Uint8Array(8 + json.length + dataBytes);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
      bytes.set(json, 8);
      return bytes;
    };
    assert.throws(
      () => decodeSafetensors(withHeader({ a: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, 4)),
      /tensor "a" is F16; only F32 is supported/,
    );
    assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, 4)), /outside the 4 data bytes/);
    assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8)), /starts at byte 4, expected 0/);
    assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 8)), /cover 4 of the 8 data bytes/);
    assert.throws(() => encodeSafetensors({ a: { shape: [3], data: new Float32Array(2) } }), /shape \[3\] but 2 values/);
    assert.throws(() => encodeSafetensors({}, { n: 3 as unknown as string }), /metadata values must be strings/);
  });
});

describe("SAE download files", () => {
  const source = { model: "baseline-mlp", layer: "relu_1", epoch: 8 };

  for (const architecture of ["l1", "kl", "topk", "batchtopk"] as const) {
    test(`${architecture}: safetensors and cfg.json read back to the same weights`, () => {
      const weights = randomWeights(architecture);
      const config = saeConfig(
        architecture === "l1"
          ? { architecture, dIn: 6, dSae: 10, l1Coefficient: 2 }
          : architecture === "kl"
            ? { architecture, dIn: 6, dSae: 10, rho: 0.05, beta: 3 }
            : { architecture, dIn: 6, dSae: 10, k: 3 },
      );
      const cfg = JSON.parse(JSON.stringify(cfgJson(config, weights, source))) as SaeCfgJson;
      const bytes = saeSafetensors(weights);
      const names = Object.keys(decodeSafetensors(bytes).tensors);
      assert.deepEqual(names, architecture === "batchtopk" ? ["W_enc", "b_enc", "W_dec", "b_dec", "threshold"] : ["W_enc", "b_enc", "W_dec", "b_dec"]);
      assert.deepEqual(saeFromSafetensors(bytes, cfg), weights);
    });
  }

  test("cfg.json says what a Python user needs", () => {
    const weights = randomWeights("topk");
    const config = saeConfig({ architecture: "topk", dIn: 6, dSae: 10, k: 3, seed: 4 });
    const cfg = cfgJson(config, weights, source);
    assert.equal(cfg.d_in, 6);
    assert.equal(cfg.d_sae, 10);
    assert.equal(cfg.architecture, "topk");
    assert.equal(cfg.activation_fn, "topk");
    assert.equal(cfg.k, 3);
    assert.equal(cfg.aux_k, 3);
    assert.equal(cfg.aux_coefficient, 1 / 32);
    assert.equal(cfg.normalize_activations, "mean-norm");
    assert.equal(cfg.input_scale, 1.7);
    assert.equal(cfg.model_name, "baseline-mlp");
    assert.equal(cfg.hook_name, "relu_1");
    assert.deepEqual(cfg.source, source);
    assert.equal(cfg.training.seed, 4);
    assert.equal(cfgJson(saeConfig({ architecture: "batchtopk", dIn: 6, dSae: 10, k: 3 }), randomWeights("batchtopk"), source).activation_fn, "jumprelu");
    const kl = cfgJson(saeConfig({ architecture: "kl", dIn: 6, dSae: 10, rho: 0.05, beta: 3 }), randomWeights("kl"), source);
    assert.deepEqual([kl.rho, kl.beta, kl.activation_fn], [0.05, 3, "sigmoid"]);
  });

  test("a file that does not match its cfg.json is reported", () => {
    const weights = randomWeights("l1");
    const cfg = cfgJson(saeConfig({ architecture: "l1", dIn: 6, dSae: 10, l1Coefficient: 1 }), weights, source);
    assert.throws(() => saeFromSafetensors(saeSafetensors(weights), { ...cfg, d_sae: 12 }), /expected "W_enc" of shape \[6,12\] \(cfg.json\), found \[6,10\]/);
    assert.throws(
      () => saeFromSafetensors(saeSafetensors(weights), { ...cfg, architecture: "batchtopk" }),
      /expected a tensor "threshold", found only \[W_enc, b_enc, W_dec, b_dec\]/,
    );
  });

  test("an SAE on a basis carries it: three more tensors, and cfg.json says how to apply them", () => {
    const weights = randomWeights("l1");
    // A 9-unit layer whose basis keeps 6 directions (the SAE's d_in).
    const basis: FittedBasis = {
      name: "ica",
      dLayer: 9,
      dIn: 6,
      mean: Float32Array.from({ length: 9 }, (_, i) => i / 10),
      transform: Float32Array.from({ length: 54 }, (_, i) => Math.sin(i)),
      inverse: Float32Array.from({ length: 54 }, (_, i) => Math.cos(i)),
    };
    const cfg = JSON.parse(
      JSON.stringify(cfgJson(saeConfig({ architecture: "l1", dIn: 6, dSae: 10, l1Coefficient: 1 }), weights, source, basis)),
    ) as SaeCfgJson;
    assert.deepEqual(cfg.basis, { name: "ica", d_layer: 9, apply: BASIS_APPLY });
    const bytes = saeSafetensors(weights, basis);
    const { tensors, metadata } = decodeSafetensors(bytes);
    assert.deepEqual(Object.keys(tensors), ["W_enc", "b_enc", "W_dec", "b_dec", "basis_mean", "basis_transform", "basis_inverse"]);
    assert.deepEqual(tensors.basis_transform.shape, [6, 9]);
    assert.equal(metadata.basis, "ica");
    assert.deepEqual(saeFromSafetensors(bytes, cfg), weights);
    assert.deepEqual(basisFromSafetensors(bytes, cfg), basis);
    const plain = cfgJson(saeConfig({ architecture: "l1", dIn: 6, dSae: 10, l1Coefficient: 1 }), weights, source);
    assert.equal(plain.basis, undefined);
    assert.equal(basisFromSafetensors(saeSafetensors(weights), plain), null);
    assert.throws(
      () => saeSafetensors(weights, { ...basis, dIn: 5, transform: new Float32Array(45), inverse: new Float32Array(45) }),
      /the SAE reads 6 values, the ica basis gives 5/,
    );
  });
});
