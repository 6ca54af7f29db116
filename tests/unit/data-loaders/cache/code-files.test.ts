// Cache keys from the real import graph: a producer's code is what it imports, transitively.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { codeVersion, projectRoot } from "../../../../data-loaders/cache/artifact-cache.js";
import { importedFiles, producerCode } from "../../../../data-loaders/cache/code-files.js";
import { KERNEL_CODE } from "../../../../data-loaders/training/kernels/build-kernels.js";

describe("producerCode", () => {
  // A tiny module graph inside the project (the cache folder is gitignored): entry → used → leaf, and an unrelated module.
  const folder = `.cache/code-files-test-${process.pid}`;
  const path = (name: string) => `${folder}/${name}.ts`;
  const write = (name: string, text: string) => writeFile(join(projectRoot(), path(name)), text);

  before(async () => {
    await mkdir(join(projectRoot(), folder), { recursive: true });
    await write("entry", 'import { used } from "./used.js";\nexport const value = used + 1;\n');
    await write("used", 'import { leaf } from "./leaf.js";\nexport const used = leaf * 2;\n');
    await write("leaf", "export const leaf = 3;\n");
    await write("unrelated", "export const other = 4;\n");
  });
  after(async () => rm(join(projectRoot(), folder), { recursive: true, force: true }));

  test("lists the entry and its transitive imports, not the other modules beside them", async () => {
    assert.deepEqual(await importedFiles(path("entry")), [path("entry"), path("leaf"), path("used")]);
  });

  test("editing a file the entry imports, even two steps away, changes the code version; editing an unrelated one does not", async () => {
    const version = async () => codeVersion(await producerCode(path("entry")));
    const first = await version();
    await write("unrelated", "export const other = 5;\n");
    assert.equal(await version(), first, "an unrelated module");
    await write("leaf", "export const leaf = 30;\n");
    const second = await version();
    assert.notEqual(second, first, "a transitive import");
    await write("entry", 'import { used } from "./used.js";\nexport const value = used + 2;\n');
    assert.notEqual(await version(), second, "the entry itself");
  });

  test("the real producers: the trainer's key covers the input checks it imports and not the SAE library; the SAE sweep's covers the kernels' sources", async () => {
    const training = await producerCode("data-loaders/models/trained-model.ts");
    assert.ok(training.includes("src/lib/validate-input.ts"), "train.ts imports validate-input.ts, which no hand-written list had");
    assert.ok(training.includes("data-loaders/training/train.ts"));
    assert.ok(!training.some((file) => file.startsWith("src/lib/sae/")), "editing an SAE must not retrain the classifiers");
    assert.ok(!training.some((file) => file.startsWith("data-loaders/cache/")), "the cache's machinery computes no numbers");
    const sweep = await producerCode("data-loaders/sae/sae-sweep-file.ts");
    for (const file of ["src/lib/sae/architectures/index.ts", "src/lib/sae/train.ts", "data-loaders/sae/layer-activations.ts", ...KERNEL_CODE])
      assert.ok(sweep.includes(file), file);
  });

  test("a module esbuild cannot follow gets a message that names it", async () => {
    await write("broken", 'import { missing } from "./no-such-module.js";\nexport const x = missing;\n');
    await assert.rejects(importedFiles(path("broken")), /importedFiles: esbuild could not follow the imports of \.cache\/code-files-test-\d+\/broken\.ts/);
  });
});
