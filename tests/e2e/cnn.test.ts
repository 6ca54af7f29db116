import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright";
import { control, errorCells, openPage, openSite, type Site, waitForCells } from "./harness.js";
import { evaluateExportedModel, type IndependentEvaluation } from "./independent-evaluation.js";

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
/** The pixels of every feature map (a canvas's markup does not change with its pixels). */
const mapPixels = (page: Page) =>
  page.$$eval("[data-testid=feature-maps] canvas", (canvases) => canvases.map((c) => (c as HTMLCanvasElement).toDataURL()).join("|"));
const mapsChange = (page: Page, before: string) =>
  page.waitForFunction(
    (old) => Array.from(document.querySelectorAll("[data-testid=feature-maps] canvas"), (c) => (c as HTMLCanvasElement).toDataURL()).join("|") !== old,
    before,
  );

describe("CNN page", { timeout: 20 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];
  let truth: IndependentEvaluation;

  before(async () => {
    truth = await evaluateExportedModel("cnn");
    site = await openSite();
    ({ page, problems } = await openPage(site, "cnn.html?backend=wasm", { timeout: 300_000 }));
    await waitForCells(page);
  });
  after(async () => {
    truth?.dispose();
    await site?.close();
  });

  test("every section renders with no error cell and no console error", async () => {
    assert.deepEqual(await errorCells(page), []);
    for (const id of [
      "training-curves",
      "filters",
      "feature-maps",
      "receptive-field",
      "dead-units-chart",
      "heatmap",
      "top-patches",
      "accuracy-bars",
      "attribution",
      "selectivity-distribution",
    ]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    assert.equal(await page.locator("[data-testid=filters]").count(), 2, "one filter grid per conv layer");
    assert.deepEqual(problems, []);
  });

  test("it reaches at least 98.5% and its numbers agree with the exported weights", async () => {
    assert.ok(truth.accuracy >= 0.985, `test accuracy ${pct(truth.accuracy)} is below 98.5%`);
    const text = (await page.textContent("main")) ?? "";
    assert.ok(text.includes(`Confusion matrix, test accuracy ${pct(truth.accuracy)}`));
    // Dead channels per ReLU layer (a channel is dead when no position is ever active).
    for (const layer of truth.reluLayers) {
      const row = page.locator("tr", { has: page.locator(`td:text-is("${layer}")`) }).first();
      const cells = (await row.locator("td").allTextContents()).slice(-6);
      assert.equal(Number(cells[2]), truth.dead[layer].length, `${layer} dead count`);
    }
    // Per-class accuracy.
    for (let c = 0; c < 10; c++) {
      const images = truth.confusion[c].reduce((a, b) => a + b, 0);
      const cells = await page
        .locator("[data-testid=per-class-accuracy] tr", { has: page.locator(`td:text-is("${pct(truth.confusion[c][c] / images)}")`) })
        .first()
        .locator("td")
        .allTextContents();
      assert.ok(cells.includes(String(c)), `class ${c}: no row with accuracy ${pct(truth.confusion[c][c] / images)}`);
    }
    // The most selective channel of relu_1 per class (spatial mean), with its S to 2 decimals.
    await control(page, "Layer").locator("select").selectOption("relu_1");
    await page.waitForSelector("[data-testid=top-units] td:has-text('(')");
    await page.waitForFunction(() => document.querySelector("[data-testid=heatmap]") !== null);
    for (let c = 0; c < 10; c++) {
      const s = truth.selectivity.relu_1[c];
      const best = s.indexOf(Math.max(...s));
      const row = page.locator("[data-testid=top-units] tr", { has: page.locator(`td:text-is("${c}")`) }).first();
      await page.waitForFunction(
        ([cls, text]) =>
          Array.from(document.querySelectorAll("[data-testid=top-units] tr")).some((tr) => tr.textContent?.startsWith(cls) && tr.textContent.includes(text)),
        [String(c), `${best} (${s[best].toFixed(2)})`] as const,
      );
      assert.ok(((await row.textContent()) ?? "").includes(`${best} (${s[best].toFixed(2)})`), `class ${c}: most selective relu_1 channel`);
    }
    // Ablating a first-layer channel everywhere: accuracy as tfjs-layers computes it.
    await control(page, "Intervention layer").locator("select").selectOption("relu_1");
    await control(page, "Units").locator("input").fill("3");
    await control(page, "Scale").locator("input[type=text]").fill("0");
    await page.waitForFunction(() => document.querySelector("[data-testid=intervention-summary]")?.textContent?.includes("relu_1 unit 3 by 0.00"));
    assert.equal(await page.textContent("[data-testid=intervention-accuracy]"), pct(truth.scaledAccuracy("relu_1", 3, 0)));
    assert.deepEqual(problems, []);
  });

  test("clicking a map shows the unit's receptive field; another image or a drawing changes the maps", async () => {
    const map = page.locator("[data-testid=feature-maps] canvas[data-layer=pool_2]").first();
    await map.scrollIntoViewIfNeeded();
    await map.click({ position: { x: 2, y: 2 } });
    await page.waitForSelector("[data-testid=receptive-field] figcaption:has-text('pool_2 channel 0 at [0, 0]')");
    assert.match((await page.textContent("[data-testid=receptive-field]")) ?? "", /sees rows 0–9, columns 0–9/);
    const first = await mapPixels(page);
    await control(page, "Maps: test image #").locator("input").fill("7");
    await mapsChange(page, first);
    // A first-layer unit shows its kernel times the input patch.
    await page
      .locator("[data-testid=feature-maps] canvas[data-layer=conv_1]")
      .first()
      .click({ position: { x: 20, y: 20 } });
    await page.waitForSelector("[data-testid=receptive-field] figcaption:has-text('+ bias')");
    const drawn = await mapPixels(page);
    const pad = page.locator("[data-testid=drawing-pad] canvas").first();
    const box = await pad.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
    await page.mouse.down();
    for (let t = 0.2; t <= 0.8; t += 0.05) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * t);
    await page.mouse.up();
    await mapsChange(page, drawn);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("the colour scale, the patches' channel and bad values", async () => {
    const maps = await mapPixels(page);
    await control(page, "Colour scale").locator("select").selectOption({ label: "per map" });
    await mapsChange(page, maps);
    const patches = await page.locator("[data-testid=top-patches]").innerHTML();
    await control(page, "Channel").locator("input").fill("5");
    await page.waitForFunction((before) => document.querySelector("[data-testid=top-patches]")?.innerHTML !== before, patches);
    await control(page, "Channel").locator("input").fill("99");
    await page.waitForSelector(".cell-error:has-text('Channel must be a whole number from 0 to')");
    await control(page, "Channel").locator("input").fill("1");
    await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    assert.deepEqual(problems, []);
  });

  test("class attribution: Grad-CAM, occlusion and KernelSHAP, for another class", async () => {
    await page.waitForSelector("[data-testid=class-attribution] figcaption:has-text('Grad-CAM on relu_2')");
    const before = await page.locator("[data-testid=class-attribution]").innerHTML();
    await control(page, "Class").locator("select").selectOption({ label: "3" });
    await page.waitForFunction((old) => document.querySelector("[data-testid=class-attribution]")?.innerHTML !== old, before);
    assert.match((await page.textContent("[data-testid=class-attribution]")) ?? "", /logit of 3 = .*KernelSHAP \(sum /s);
    assert.deepEqual(problems, []);
  });

  test("50 changes of image, channel and scale leak no tensors", async () => {
    const numTensors = () => page.evaluate(() => (globalThis as any).__mnistRuntime.tf.memory().numTensors as number);
    await waitForCells(page);
    const before = await numTensors();
    for (let i = 0; i < 50; i++) {
      const box = i % 3 === 0 ? "Maps: test image #" : i % 3 === 1 ? "Channel" : "Scale";
      await control(page, box)
        .locator("input[type=text]")
        .first()
        .fill(String(i % 3 === 2 ? (i % 30) / 10 : i % 8));
      await page.waitForTimeout(20);
    }
    await waitForCells(page);
    await page.waitForTimeout(500);
    await waitForCells(page);
    assert.equal(await numTensors(), before);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });
});
