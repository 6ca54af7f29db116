import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright";
import { control, errorCells, openPage, openSite, type Site, waitForCells } from "./harness.js";
import { evaluateExportedModel, type IndependentEvaluation } from "./independent-evaluation.js";

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const numTensors = (page: Page) => page.evaluate(() => (globalThis as any).__mnistRuntime.tf.memory().numTensors as number);

/** Types a value into a control's text box (a range control's box, or a text control). */
async function setRange(page: Page, label: string, value: number | string) {
  await control(page, label).locator("input[type=text]").fill(String(value));
}

async function interventionAccuracy(page: Page): Promise<string> {
  return (await page.textContent("[data-testid=intervention-accuracy]")) ?? "";
}

/** Sets the scale and waits until the summary reports it. */
async function moveScale(page: Page, scale: number) {
  await setRange(page, "Scale", scale);
  await page.waitForFunction((s) => document.querySelector("[data-testid=intervention-summary]")?.textContent?.includes(`by ${s}:`), scale.toFixed(2));
}

describe("baseline MLP page", { timeout: 20 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];
  let truth: IndependentEvaluation;

  before(async () => {
    truth = await evaluateExportedModel("baseline-mlp");
    site = await openSite();
    ({ page, problems } = await openPage(site, "baseline-mlp.html?backend=wasm", { timeout: 300_000 }));
    await waitForCells(page);
    // The worker-backed cells announce their progress and finish later.
    for (const id of ["silhouette-chart", "subspace"]) await page.waitForSelector(`[data-testid=${id}]`);
    await page.waitForSelector("[data-umap-key]");
  });
  after(async () => site?.close());

  test("every section renders with no error cell and no console error", async () => {
    assert.deepEqual(await errorCells(page), []);
    for (const id of [
      "training-curves",
      "histogram-chart",
      "drift-chart",
      "dead-units-chart",
      "heatmap",
      "accuracy-bars",
      "sweep-chart",
      "embedding-scatter",
      "silhouette-chart",
      "attribution",
      "drawing-pad",
    ]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    assert.ok(await page.locator("[data-testid=draw-hint]").isVisible(), "an empty canvas shows a hint");
    assert.deepEqual(problems, []);
  });

  test("its numbers agree with an independent evaluation of the exported weights", async () => {
    const text = (await page.textContent("main")) ?? "";
    assert.ok(text.includes(`Confusion matrix, test accuracy ${pct(truth.accuracy)}`), `page does not show accuracy ${pct(truth.accuracy)}`);
    const misclassified = truth.count - Math.round(truth.accuracy * truth.count);
    assert.match(text, new RegExp(`${misclassified.toLocaleString("en-US")} of 10,000 test images are misclassified`));
    // Per-class accuracy table under the confusion matrix.
    for (let c = 0; c < 10; c++) {
      const images = truth.confusion[c].reduce((a, b) => a + b, 0);
      const row = page.locator("tr", { has: page.locator(`td:text-is("${pct(truth.confusion[c][c] / images)}")`) });
      assert.ok((await row.count()) > 0, `class ${c}: no row with accuracy ${pct(truth.confusion[c][c] / images)}`);
      const all = await row.first().locator("td").allTextContents();
      const cells = all.slice(all.indexOf(String(c)));
      assert.deepEqual(
        cells.slice(0, 3).map((v) => Number(v.replace(/,/g, ""))),
        [c, images, truth.confusion[c][c]],
        `class ${c} row`,
      );
    }
    // Dead units (final weights, whole test set): the table row per layer.
    for (const layer of ["relu_1", "relu_2"]) {
      const row = page.locator("tr", { has: page.locator(`td:text-is("${layer}")`) }).first();
      const all = await row.locator("td").allTextContents();
      const cells = all.slice(all.indexOf(layer)); // Inputs.table may lead with a selection cell
      assert.equal(Number(cells[2]), truth.dead[layer].length, `${layer} dead count`);
      assert.equal(cells[5], truth.dead[layer].join(", ") || "none");
    }
    // Selectivity: the most selective relu_2 neuron of each class, with S to 2 decimals.
    for (let c = 0; c < 10; c++) {
      const row = page
        .locator("tr", { has: page.locator(`td:text-is("${c}")`) })
        .filter({ hasText: "(" })
        .first();
      const all = await row.locator("td").allTextContents();
      const cell = all[all.indexOf(String(c)) + 1];
      const [, unit, value] = /^(\d+) \((-?[\d.]+)\)/.exec(cell) ?? [];
      const s = truth.selectivity.relu_2[c];
      const best = s.indexOf(Math.max(...s));
      assert.equal(Number(unit), best, `class ${c}: most selective relu_2 neuron`);
      assert.equal(value, s[best].toFixed(2), `class ${c}: S of neuron ${best}`);
    }
  });

  test("ablating and scaling a neuron changes accuracy exactly as the exported weights say", async () => {
    await control(page, "Intervention layer").locator("select").selectOption("relu_2");
    const unit = truth.selectivity.relu_2[8].indexOf(Math.max(...truth.selectivity.relu_2[8]));
    await control(page, "Units").locator("input").fill(String(unit));
    await moveScale(page, 0);
    assert.equal(await interventionAccuracy(page), pct(truth.scaledAccuracy("relu_2", unit, 0)));
    await moveScale(page, 2.5);
    assert.equal(await interventionAccuracy(page), pct(truth.scaledAccuracy("relu_2", unit, 2.5)));
    await moveScale(page, 1);
    assert.equal(await interventionAccuracy(page), pct(truth.accuracy), "scale 1 is the unmodified model");
  });

  test("moving the slider changes the per-class accuracies and leaks no tensors over 50 moves", async () => {
    await control(page, "Units").locator("input").fill("0-7");
    await moveScale(page, 0);
    const ablated = await page.locator("[data-testid=accuracy-bars]").innerHTML();
    await moveScale(page, 3);
    assert.notEqual(await page.locator("[data-testid=accuracy-bars]").innerHTML(), ablated, "per-class accuracy chart did not change");
    const before = await numTensors(page);
    for (let i = 0; i < 50; i++) await moveScale(page, (i % 30) / 10 + (i % 2 ? 0.05 : 0));
    await waitForCells(page);
    assert.equal(await numTensors(page), before);
    assert.deepEqual(problems, []);
  });

  test("nonsense in a control shows a message in that cell and the page keeps working", async () => {
    await control(page, "Units").locator("input").fill("");
    await page.waitForSelector(".cell-error:has-text('Choose at least one unit')");
    await control(page, "Units").locator("input").fill("99");
    await page.waitForSelector(".cell-error:has-text('Unit 99 does not exist')");
    await control(page, "Top k").locator("input").fill("40");
    await page.waitForSelector(".cell-error:has-text('Top k must be a whole number from 1 to 16; found 40.')");
    await control(page, "Subspace layer").locator("select").selectOption("relu_2");
    await setRange(page, "k", 20);
    await page.waitForSelector(".cell-error:has-text('k must be a whole number from 1 to 16; found 20.')");
    // Recover: valid values clear the messages.
    await control(page, "Units").locator("input").fill("3");
    await control(page, "Top k").locator("input").fill("3");
    await setRange(page, "k", 3);
    await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    assert.deepEqual(problems, []);
  });

  test("changing UMAP parameters re-renders the UMAP plot", async () => {
    const first = await page.getAttribute("[data-umap-key]", "data-umap-key");
    await setRange(page, "n_neighbors", 8);
    await control(page, "Images").locator("select").selectOption("500");
    await page.waitForSelector('[data-umap-key="8/0.1/500"]', { timeout: 120_000 });
    assert.notEqual(first, "8/0.1/500");
    assert.deepEqual(problems, []);
  });

  test("drawing a stroke on the canvas gives a prediction", async () => {
    const canvas = page.locator("[data-testid=drawing-pad] canvas");
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    assert.ok(box);
    // A vertical stroke down the middle: a "1".
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let t = 0.15; t <= 0.85; t += 0.05) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * t);
    await page.mouse.up();
    const prediction = await page.waitForSelector("[data-testid=draw-prediction]");
    assert.match((await prediction.textContent()) ?? "", /prediction: \S+ \(\d+\.\d%\)/);
    assert.deepEqual(problems, []);
  });
});
