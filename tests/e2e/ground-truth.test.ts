import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright";
import { changes, control, downloadedBytes, errorCells, html, openPage, openSite, root, rowCells, type Site, waitForCells } from "./harness.js";
import { distFile, evaluateExportedModel } from "./independent-evaluation.js";
import { independentConcepts } from "./independent-concepts.js";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { independentPlantedScores } from "./independent-planted.js";
import { readSafetensors } from "./independent-sae.js";
import { SAE_ARCHITECTURES } from "../../src/lib/sae/config.js";

const dist = join(root, "dist");
const groundTruthFile = (model: string) => JSON.parse(readFileSync(distFile(join(dist, "_file", "data", "ground-truth"), model, ".json"), "utf8"));
/** The exported concepts, read with a plain split: header → column of numbers (NaN for an empty field). */
function exportedConcepts(): Record<string, number[]> {
  const [header, ...lines] = readFileSync(distFile(join(dist, "_file", "data", "concepts"), "test", ".csv"), "utf8")
    .trim()
    .split("\n");
  const names = header.split(",");
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) line.split(",").forEach((v, i) => columns[names[i]].push(v === "" ? NaN : Number(v)));
  return columns;
}
/** AUROC by counting every (positive, negative) pair: P(positive above negative) + ½ P(tie). */
function pairwiseAuroc(values: ArrayLike<number>, positive: (row: number) => boolean): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let r = 0; r < values.length; r++) (positive(r) ? pos : neg).push(values[r]);
  neg.sort((a, b) => a - b);
  let wins = 0;
  for (const p of pos) {
    // Negatives below p, and tied with it, by binary search.
    let lo = 0,
      hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < neg.length && neg[end] === p) end++;
    wins += lo + 0.5 * (end - lo);
  }
  return wins / (pos.length * neg.length);
}
/** A yes/no concept made from a count, over all images: "holes ≥ 1", "endpoints = 2". */
const YES_NO = /^([a-z]+) (=|≥) (\d+)$/;
/** The planted benchmark's default d and n (src/lib/planted/spec.ts), and few steps so that a run takes seconds. */
const PLANTED = { d: 24, n: 96, steps: 400 };
const ARCHITECTURES = SAE_ARCHITECTURES;
const unitRow = (page: Page, unit: number) =>
  rowCells(
    page.locator("[data-testid=ground-truth-units] table"),
    page.locator("[data-testid=ground-truth-units] table tbody tr", { has: page.locator(`td:text-is("${unit}")`) }),
  );

describe("ground-truth page", { timeout: 20 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];

  before(async () => {
    site = await openSite();
    ({ page, problems } = await openPage(site, `ground-truth.html?backend=wasm&planted-steps=${PLANTED.steps}`, { timeout: 300_000 }));
    await waitForCells(page);
  });
  after(async () => site?.close());

  test("every section renders with no error cell and no console error", async () => {
    for (const id of [
      "concept-means",
      "concept-by-class",
      "ground-truth-reading",
      "ground-truth-chart",
      "ground-truth-bases",
      "ground-truth-units",
      "seed-reading",
      "seed-table",
      "sparse-probing-reading",
      "sparse-probing-chart",
      "sparse-probing-table",
      "absorption-table",
    ]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    assert.match((await page.textContent("[data-testid=ground-truth-reading]")) ?? "", /sparsity-matched controls/);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("a sample of the exported concepts agrees with area, holes and slant computed a second way", async () => {
    const concepts = exportedConcepts();
    const { test: images, rows: side } = await readDataset();
    assert.equal(concepts.index.length, images.count, "one row per test image");
    for (let i = 0; i < images.count; i += 50) {
      const pixels = images.images.subarray(i * side * side, (i + 1) * side * side);
      const truth = independentConcepts(pixels, side);
      assert.equal(concepts.index[i], i);
      assert.equal(concepts.label[i], images.labels[i], `label of image ${i}`);
      assert.ok(Math.abs(concepts.area[i] - truth.area) < 1e-4, `area of image ${i}: ${concepts.area[i]} against ${truth.area}`);
      assert.equal(concepts.holes[i], truth.holes, `holes of image ${i}`);
      assert.ok(Math.abs(concepts.slant[i] - truth.slant) < 1e-4, `slant of image ${i}: ${concepts.slant[i]} against ${truth.slant}`);
    }
  });

  test("neurons' scores agree with AUROCs counted from the exported classifier and concepts", async () => {
    const file = groundTruthFile("baseline-mlp");
    const neurons = file.layers[0].bases.find((b: { id: string }) => b.id === "neurons");
    const evaluation = await evaluateExportedModel("baseline-mlp");
    const { cols, data } = evaluation.activations("relu_1");
    const concepts = exportedConcepts();
    const checked: string[] = [];
    // The best-scored unit explained by a class, and the one by a yes/no concept over all images.
    for (const kind of ["class", "concept"]) {
      const candidates = neurons.unitRows
        .map((row: any, unit: number) => ({ ...row, unit }))
        .filter((row: any) => row.kind === kind && (kind === "class" || YES_NO.test(row.name)));
      if (candidates.length === 0) continue;
      const best = candidates.sort((a: any, b: any) => b.score - a.score)[0];
      const column = Float64Array.from({ length: evaluation.count }, (_, r) => data[r * cols + best.unit]);
      let positive: (r: number) => boolean;
      if (kind === "class") positive = (r) => evaluation.labels[r] === best.classIndex;
      else {
        // "holes = 1" is exactly 1 ("= v" is never made for the lumped top value); "holes ≥ 1" is at least 1.
        const [, name, op, value] = YES_NO.exec(best.name) as RegExpExecArray;
        positive = op === "=" ? (r) => concepts[name][r] === Number(value) : (r) => concepts[name][r] >= Number(value);
      }
      const auroc = pairwiseAuroc(column, positive);
      assert.ok(Math.abs(Math.max(0, 2 * auroc - 1) - best.score) < 2e-3, `unit ${best.unit} (${best.name}): file ${best.score}, counted ${2 * auroc - 1}`);
      checked.push(kind);
      if (kind === "class") {
        await control(page, "Basis").locator("select").selectOption("neurons");
        await page.waitForSelector(`[data-testid=ground-truth-units] td:text-is("${best.unit}")`);
        assert.equal((await unitRow(page, best.unit)).Score, best.score.toFixed(2));
      }
    }
    evaluation.dispose();
    assert.ok(checked.includes("class"), "no neuron of relu_1 is best explained by a class");
  });

  test("another concept, layer and basis change what is shown", async () => {
    const chart = await html(page, "concept-by-class");
    await control(page, "Concept").locator("select").selectOption("holes");
    await changes(page, "concept-by-class", chart);
    const bases = await html(page, "ground-truth-bases");
    await control(page, "Layer").locator("select").selectOption({ index: 1 });
    await changes(page, "ground-truth-bases", bases);
    await waitForCells(page);
    const units = await html(page, "ground-truth-units");
    await control(page, "Basis").locator("select").selectOption("pca");
    await changes(page, "ground-truth-units", units);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("the planted benchmark trains every architecture, and its MCC agrees with one computed from its downloads", async () => {
    await page.waitForSelector("[data-testid=planted-table]", { timeout: 300_000 });
    const mcc: Record<string, number> = {};
    for (const name of [...ARCHITECTURES, "random"]) {
      mcc[name] = Number(await page.textContent(`[data-testid=planted-mcc-${name}]`));
      assert.ok(mcc[name] >= 0 && mcc[name] <= 1, `MCC of ${name}: ${mcc[name]}`);
    }
    const tensors = readSafetensors(await downloadedBytes(page, '[data-testid=planted-downloads] a[download="planted-features.safetensors"]'));
    assert.equal(tensors.directions.length, PLANTED.n * PLANTED.d, "the true directions, n × d");
    for (const name of ARCHITECTURES) {
      const decoder = tensors[`${name}.W_dec`];
      assert.ok(decoder, `no ${name}.W_dec in the download`);
      const { mcc: truth } = independentPlantedScores(tensors.directions, decoder, PLANTED.n, decoder.length / PLANTED.d, PLANTED.d);
      assert.ok(Math.abs(truth - mcc[name]) <= 0.0051, `${name}: the page shows MCC ${mcc[name]}, the files give ${truth}`);
    }
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("the build's planted run is on the page, and its MCCs agree with ones computed from its exported files", async () => {
    await page.waitForSelector("[data-testid=planted-build-table]");
    const dir = join(dist, "_file", "data", "planted");
    const run = JSON.parse(readFileSync(distFile(dir, "run", ".json"), "utf8"));
    const tensors = readSafetensors(new Uint8Array(readFileSync(distFile(dir, "features", ".safetensors"))));
    const { n, d } = run.spec;
    for (const row of run.rows) {
      const decoder = tensors[`${row.architecture}.W_dec`];
      assert.ok(decoder, `no ${row.architecture}.W_dec in the build's file`);
      const { mcc, meanMaxCos } = independentPlantedScores(tensors.directions, decoder, n, decoder.length / d, d);
      assert.ok(Math.abs(mcc - row.mcc) < 1e-4, `${row.architecture}: run.json says MCC ${row.mcc}, the files give ${mcc}`);
      assert.ok(Math.abs(meanMaxCos - row.meanMaxCos) < 1e-4, `${row.architecture}: mean max |cos| ${row.meanMaxCos} against ${meanMaxCos}`);
      const cells = await rowCells(
        page.locator("[data-testid=planted-build-table] table"),
        page.locator("[data-testid=planted-build-table] table tbody tr", { has: page.locator(`td:text-is("${row.architecture}")`) }),
      );
      assert.equal(cells.MCC, row.mcc.toFixed(2));
    }
  });

  test("a planted control retrains and changes the numbers; a bad value gives a message in its cell", async () => {
    await page.waitForSelector("[data-testid=planted-table]", { timeout: 300_000 });
    const before = await html(page, "planted-table");
    await control(page, "Dimensions d").locator("input").fill("16");
    await page.waitForFunction(
      (old) => {
        const node = document.querySelector("[data-testid=planted-table]");
        return node !== null && node.innerHTML !== old;
      },
      before,
      { timeout: 300_000 },
    );
    // Back to the default d: the message for n names its range, which starts at d.
    await control(page, "Dimensions d").locator("input").fill(String(PLANTED.d));
    for (const [label, value, message] of [
      ["Dimensions d", "0", "d must be a whole number ≥ 2, found 0"],
      ["Mean firing probability", "1.5", "firing.meanProbability must be a probability in (0, 1], found 1.5"],
      ["Planted features n", "x", 'n must be a whole number between 24 and 1024, found "x"'],
    ] as const) {
      const input = control(page, label).locator("input");
      const good = await input.inputValue();
      await input.fill(value);
      // No nested arrow functions in page code: tsx's keepNames would wrap them in a helper the page lacks.
      await page.waitForFunction((text) => {
        for (const node of document.querySelectorAll(".cell-error")) if ((node.textContent ?? "").includes(text)) return true;
        return false;
      }, message);
      await input.fill(good);
      await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    }
    assert.deepEqual(problems, []);
  });
});
