import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright";
import { control, errorCells, openPage, openSite, type Site, waitForCells } from "./harness.js";
import { evaluateExportedModel, type IndependentEvaluation } from "./independent-evaluation.js";
import { modelEntry, modelsOnPage } from "../../src/lib/models/registry.js";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { blankPixelMask } from "../../data-loaders/training/blank-pixels.js";
import { mulberry32, sampleIndices } from "../../src/lib/random.js";
import { SUMMARY_SAMPLE_SEED } from "../../src/lib/analysis/predictions/model-summary.js";

const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
const median = (values: number[]) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** The comparison table's cells for one model, by column header. */
async function comparisonRow(page: Page, title: string): Promise<Record<string, string>> {
  const table = page.locator("[data-testid=comparison-table] table");
  const headers = (await table.locator("thead th").allTextContents()).map((h) => h.trim());
  const row = table.locator("tbody tr", { has: page.locator(`td:text-is("${title}")`) }).first();
  const cells = await row.locator("td").allTextContents();
  const offset = cells.length - headers.length;
  return Object.fromEntries(headers.map((h, i) => [h, cells[i + offset]?.trim() ?? ""]).filter(([h]) => h !== ""));
}

describe("normalized MLP page", { timeout: 30 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];
  const entries = [modelEntry("baseline-mlp"), ...modelsOnPage("normalized-mlp")];

  before(async () => {
    site = await openSite();
    ({ page, problems } = await openPage(site, "normalized-mlp.html?backend=wasm", { timeout: 300_000 }));
    await waitForCells(page);
  });
  after(async () => site?.close());

  test("loads with no error cell and no console error", async () => {
    assert.deepEqual(await errorCells(page), []);
    for (const id of ["comparison-table", "gap-chart", "selectivity-distribution", "training-curves", "heatmap", "accuracy-bars", "attribution"]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    assert.deepEqual(problems, []);
  });

  test("every variant's comparison numbers agree with an independent evaluation of its exported weights", async () => {
    const dataset = await readDataset();
    const garbage = blankPixelMask(dataset.train.images, dataset.train.count, 784, 0.99);
    const rows = sampleIndices(dataset.test.count, 1000, mulberry32(SUMMARY_SAMPLE_SEED));
    for (const entry of entries) {
      const truth: IndependentEvaluation = await evaluateExportedModel(entry.name);
      try {
        const cells = await comparisonRow(page, entry.title);
        assert.equal(cells["test accuracy"], pct(truth.accuracy), `${entry.name}: test accuracy`);
        assert.equal(
          cells["dead / nearly dead"],
          truth.reluLayers.map((l) => `${l}: ${truth.dead[l].length} / ${truth.nearlyDead[l].length}`).join("; "),
          `${entry.name}: dead units`,
        );
        const best = (layer: string) =>
          truth.selectivity[layer][0].map((_, u) => (truth.dead[layer].includes(u) ? NaN : Math.max(...truth.selectivity[layer].map((row) => row[u]))));
        assert.equal(cells["median best S"], truth.reluLayers.map((l) => `${l}: ${median(best(l)).toFixed(2)}`).join("; "), `${entry.name}: median best S`);
        assert.equal(cells.silhouette, truth.silhouette(rows).toFixed(3), `${entry.name}: silhouette`);
        const masses = truth.saliencyMasses(rows, garbage);
        assert.equal(cells["saliency on background"], pct(masses.background, 1), `${entry.name}: saliency on background`);
        assert.equal(cells["saliency on garbage pixels"], pct(masses.garbage, 1), `${entry.name}: saliency on garbage pixels`);
      } finally {
        truth.dispose();
      }
    }
  });

  test("switching the model re-renders every section, and the address remembers it", async () => {
    // Sections whose content depends on every weight of the model.
    const ids = ["training-curves", "histogram-chart", "heatmap", "accuracy-bars", "embedding-scatter", "attribution"];
    const before = await Promise.all(ids.map((id) => page.locator(`[data-testid=${id}]`).last().innerHTML()));
    await control(page, "Model")
      .locator("select")
      .selectOption({ label: modelEntry("layernorm-after-relu").title });
    await page.waitForFunction(() => new URL(location.href).searchParams.get("model") === "layernorm-after-relu");
    for (const [i, id] of ids.entries()) {
      await page.waitForFunction(
        ([testId, old]) => {
          const all = document.querySelectorAll(`[data-testid=${testId}]`);
          return all.length > 0 && all[all.length - 1].innerHTML !== old;
        },
        [id, before[i]] as const,
        { timeout: 120_000 },
      );
    }
    await waitForCells(page);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("a link with a model, neuron and intervention opens that exact view", async () => {
    const truth = await evaluateExportedModel("dropout-mlp");
    try {
      const linked = await openPage(site, "normalized-mlp.html?backend=wasm&model=dropout-mlp&iv-layer=relu_1&iv-units=5&iv-scale=2.5&attr-unit=7", {
        timeout: 300_000,
      });
      await waitForCells(linked.page);
      const summary = (await linked.page.textContent("[data-testid=intervention-summary]")) ?? "";
      assert.match(summary, /Scaling relu_1 unit 5 by 2\.50/);
      assert.equal(await linked.page.textContent("[data-testid=intervention-accuracy]"), pct(truth.scaledAccuracy("relu_1", 5, 2.5)));
      assert.equal(await control(linked.page, "Unit").locator("input").inputValue(), "7");
      assert.match((await linked.page.textContent("[data-testid=attribution]")) ?? "", /\[7\] =/);
      assert.deepEqual(linked.problems, []);
      await linked.page.close();
    } finally {
      truth.dispose();
    }
  });

  test("invalid numbers show a message about that very value, every time", async () => {
    const scaleBox = control(page, "Scale").locator("input[type=text]");
    for (const [typed, shown] of [
      ["10", "10"],
      ["-5", "-5"],
      ["1e9", "1000000000"],
    ]) {
      await scaleBox.fill(typed);
      await page.waitForSelector(`.cell-error:has-text('Scale must be from 0 to 3; found ${shown}.')`);
    }
    const imageBox = control(page, "Test image #").locator("input");
    await imageBox.fill("2.5");
    await page.waitForSelector(".cell-error:has-text('Test image # must be a whole number from 0 to 9999; found 2.5.')");
    await imageBox.fill("x");
    await page.waitForSelector(`.cell-error:has-text('Test image # must be a whole number from 0 to 9999; found "x".')`);
    await imageBox.fill("3");
    await scaleBox.fill("1");
    await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    assert.deepEqual(problems, []);
  });
});
