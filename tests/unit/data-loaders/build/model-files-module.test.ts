import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { modelFilesModuleSource } from "../../../../data-loaders/build/model-files-module.js";
import { CNN, modelEntry } from "../../../../src/lib/models/registry.js";

describe("generated model-files module", () => {
  test("one literal FileAttachment per SAE sweep file, model → layer", () => {
    const source = modelFilesModuleSource([modelEntry("baseline-mlp"), CNN]);
    const block = source.slice(
      source.indexOf("export const saeFiles: Record<string, Record<string, FileAttachmentHandle>> = {"),
      source.indexOf("export const probeFiles"),
    );
    assert.ok(block.length > 0, source);
    assert.deepEqual(
      [...block.matchAll(/FileAttachment\("([^"]+)"\)/g)].map((m) => m[1]),
      ["baseline-mlp/relu_1", "baseline-mlp/relu_2", "cnn/relu_1", "cnn/relu_2", "cnn/relu_3"].map((path) => `../data/sae/${path}.bin`),
    );
    assert.match(block, /"cnn": \{\n    relu_1: FileAttachment/);
  });

  test("one literal FileAttachment per model's probes", () => {
    const source = modelFilesModuleSource([modelEntry("baseline-mlp"), CNN]);
    const block = source.slice(source.indexOf("export const probeFiles: Record<string, FileAttachmentHandle> = {"));
    assert.deepEqual(
      [...block.matchAll(/FileAttachment\("([^"]+)"\)/g)].map((m) => m[1]),
      ["../data/probes/baseline-mlp.json", "../data/probes/cnn.json"],
    );
  });
});
