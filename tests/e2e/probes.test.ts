import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright";
import { changes, control, errorCells, html, openPage, openSite, root, rowCells, type Site, waitForCells } from "./harness.js";
import { distFile } from "./independent-evaluation.js";
import { referenceProbeAccuracy } from "./independent-probe.js";
import { decodeSweepFile, saeDownload } from "../../src/lib/sae/sweep-file.js";
import type { ProbeFile } from "../../src/lib/probes/probe-file.js";

const dist = join(root, "dist");
const probeFile = (model: string): ProbeFile => JSON.parse(readFileSync(distFile(join(dist, "_file", "data", "probes"), model, ".json"), "utf8"));
/** The live table's cells of one row ("live ..." or "build ..."), by column header. */
const liveRow = (page: Page, which: "live" | "build") =>
  rowCells(
    page.locator("[data-testid=probe-live-table] table"),
    page.locator("[data-testid=probe-live-table] table tbody tr", { hasText: new RegExp(`^\\s*${which} `) }),
  );
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

describe("probes page", { timeout: 30 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];

  before(async () => {
    site = await openSite();
    ({ page, problems } = await openPage(site, "probes.html?backend=wasm", { timeout: 300_000 }));
    await waitForCells(page);
  });
  after(async () => site?.close());

  test("every section renders with no error cell and no console error, and the live probe at the build's settings reproduces the build's", async () => {
    for (const id of [
      "probe-layer-chart",
      "probe-model-table",
      "probe-table",
      "probe-sparse-chart",
      "probe-epoch-chart",
      "probe-weights",
      "probe-reading",
      "sparse-probing-chart",
    ]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    await page.waitForSelector("[data-testid=probe-live-table]");
    const [live, built] = [await liveRow(page, "live"), await liveRow(page, "build")];
    const file = probeFile("baseline-mlp");
    assert.equal(built["test accuracy"], pct(file.layers[0].inputs[0].logistic.testAccuracy));
    // The same inputs, the same L-BFGS on the page's wasm backend: within 0.2 pp of the build.
    assert.ok(
      Math.abs(parseFloat(live["test accuracy"]) - parseFloat(built["test accuracy"])) <= 0.2,
      `live ${live["test accuracy"]}, build ${built["test accuracy"]}`,
    );
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("on WebGPU (SwiftShader here) the live probe reproduces the build's too", async () => {
    const { page: gpu, problems: gpuProblems } = await openPage(site, "probes.html?backend=webgpu", { timeout: 300_000 });
    await waitForCells(gpu);
    await gpu.waitForSelector("[data-testid=probe-live-table]");
    const backend = await gpu.evaluate(() => (globalThis as any).__mnistRuntime.tf.getBackend() as string);
    const [live, built] = [await liveRow(gpu, "live"), await liveRow(gpu, "build")];
    assert.ok(
      Math.abs(parseFloat(live["test accuracy"]) - parseFloat(built["test accuracy"])) <= 0.2,
      `${backend}: live ${live["test accuracy"]}, build ${built["test accuracy"]}`,
    );
    assert.deepEqual(await errorCells(gpu), []);
    assert.deepEqual(gpuProblems, []);
    await gpu.close();
  });

  test("another input, layer and model change the numbers", async () => {
    const weights = await html(page, "probe-weights");
    await control(page, "Input").locator("select").selectOption({ label: "SAE neurons/topk-x4-k4" });
    await changes(page, "probe-weights", weights);
    assert.match((await page.textContent("main")) ?? "", /The probe on SAE neurons\/topk-x4-k4 of relu_1 \(128 columns\)/);
    const table = await html(page, "probe-table");
    await control(page, "Layer").locator("select").selectOption({ label: "relu_2" });
    await changes(page, "probe-table", table);
    const reading = await html(page, "probe-reading");
    await control(page, "Model").locator("select").selectOption({ label: "CNN" });
    await changes(page, "probe-reading", reading);
    await waitForCells(page);
    assert.match((await page.textContent("[data-testid=probe-reading]")) ?? "", /the 16 channels of relu_2 \(each averaged over the map\)/);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
    await control(page, "Model").locator("select").selectOption({ label: "Baseline" });
    await waitForCells(page);
  });

  test("a live re-run with other settings trains a different probe", async () => {
    await page.waitForSelector("[data-testid=probe-live-table]");
    const before = await html(page, "probe-live-table");
    await control(page, "Columns kept (k)").locator("input").fill("2");
    await changes(page, "probe-live-table", before);
    await page.waitForSelector("[data-testid=probe-live-table]:has-text('k = 2')");
    const live = await liveRow(page, "live");
    assert.ok(parseFloat(live["test accuracy"]) < parseFloat((await liveRow(page, "build"))["test accuracy"]), "two columns read less than all of them");
    await control(page, "Regularization λ").locator("input").fill("10");
    await page.waitForSelector("[data-testid=probe-live-table]:has-text('λ = 10,')");
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("re-running the live probe leaks no tensors", async () => {
    const numTensors = () => page.evaluate(() => (globalThis as any).__mnistRuntime.tf.memory().numTensors as number);
    await page.waitForSelector("[data-testid=probe-live-table]");
    const before = await numTensors();
    for (const l2 of ["0.5", "0.05", "0.002"]) {
      await control(page, "Regularization λ").locator("input").fill(l2);
      await page.waitForSelector(`[data-testid=probe-live-table]:has-text('λ = ${l2},')`);
    }
    await waitForCells(page);
    assert.equal(await numTensors(), before);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("bad values give a message in their cell and good ones clear it", async () => {
    const bad: [string, string, RegExp][] = [
      ["Columns kept (k)", "0", /Columns kept \(k\) must be a whole number from 1 to \d+; found 0\./],
      ["Regularization λ", "-1", /Regularization λ must be from 0 to 100; found -1\./],
      ["Regularization λ", "abc", /Regularization λ must be from 0 to 100; found "abc"\./],
    ];
    for (const [label, value, message] of bad) {
      const input = control(page, label).locator("input").first();
      const good = await input.inputValue();
      await input.fill(value);
      await page.waitForFunction(
        (source) => Array.from(document.querySelectorAll(".cell-error")).some((n) => new RegExp(source).test(n.textContent ?? "")),
        message.source,
      );
      await input.fill(good);
      await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    }
    assert.deepEqual(problems, []);
  });

  test("the build's accuracies agree within 1 pp with a reference logistic regression on inputs recomputed from the exported files", async () => {
    const file = probeFile("baseline-mlp");
    const layer = file.layers.find((l) => l.layer === "relu_2")!;
    const neurons = layer.inputs.find((i) => i.id === "neurons")!;
    const reference = await referenceProbeAccuracy({ dist, model: "baseline-mlp", layer: "relu_2", sae: null, l2: file.setup.logistic.l2, iterations: 400 });
    assert.ok(
      Math.abs(reference - neurons.logistic.testAccuracy) <= 0.01,
      `relu_2 neurons: reference ${pct(reference)}, build ${pct(neurons.logistic.testAccuracy)}`,
    );

    const id = "neurons/topk-x4-k4";
    const sweepBytes = readFileSync(distFile(join(dist, "_file", "data", "sae", "baseline-mlp"), "relu_2", ".bin"));
    const sweep = await decodeSweepFile(
      sweepBytes.buffer.slice(sweepBytes.byteOffset, sweepBytes.byteOffset + sweepBytes.byteLength) as ArrayBuffer,
      "relu_2 sweep",
    );
    const { safetensors, cfgJson } = saeDownload(sweep, id);
    const codes = layer.inputs.find((i) => i.id === id)!;
    const onCodes = await referenceProbeAccuracy({
      dist,
      model: "baseline-mlp",
      layer: "relu_2",
      sae: { safetensors, cfg: cfgJson as Record<string, any> },
      l2: file.setup.logistic.l2,
      iterations: 400,
    });
    assert.ok(Math.abs(onCodes - codes.logistic.testAccuracy) <= 0.01, `relu_2 ${id}: reference ${pct(onCodes)}, build ${pct(codes.logistic.testAccuracy)}`);

    const cnn = probeFile("cnn").layers.find((l) => l.layer === "relu_1")!;
    const channels = await referenceProbeAccuracy({ dist, model: "cnn", layer: "relu_1", sae: null, l2: file.setup.logistic.l2, iterations: 400 });
    assert.ok(
      Math.abs(channels - cnn.inputs[0].logistic.testAccuracy) <= 0.01,
      `cnn relu_1 channels: reference ${pct(channels)}, build ${pct(cnn.inputs[0].logistic.testAccuracy)}`,
    );
  });
});
