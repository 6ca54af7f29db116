import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright";
import { changes, control, downloadedBytes, errorCells, html, openPage, openSite, root, rowCells, type Site, waitForCells } from "./harness.js";
import { independentSaeMetrics } from "./independent-sae.js";
import { join } from "node:path";

const pct = (x: number, digits: number) => `${(100 * x).toFixed(digits)}%`;
/** The SAE table's cells for one SAE, by column header. */
const tableRow = (page: Page, id: string) =>
  rowCells(page.locator("[data-testid=sae-table] table"), page.locator("[data-testid=sae-table] table tbody tr", { has: page.locator(`td:text-is("${id}")`) }));
const selected = (page: Page, label: string) => control(page, label).locator("select option:checked").textContent();
/** The bytes behind one of the page's download links (the one whose file name ends in `suffix`). */
const downloaded = (page: Page, suffix: string) => downloadedBytes(page, `[data-testid=sae-downloads] a[download$="${suffix}"]`);

describe("SAE page", { timeout: 30 * 60 * 1000 }, () => {
  let site: Site;
  let page: Page;
  let problems: string[];

  before(async () => {
    site = await openSite();
    ({ page, problems } = await openPage(site, "sae.html?backend=wasm", { timeout: 300_000 }));
    await waitForCells(page);
  });
  after(async () => site?.close());

  test("every section renders with no error cell and no console error", async () => {
    await page.waitForSelector("[data-testid=feature-inversion]");
    for (const id of [
      "sae-pareto",
      "sae-table",
      "sae-downloads",
      "sae-live",
      "feature-density",
      "feature-top-images",
      "feature-class-mass",
      "feature-logit-effect",
      "feature-inversion",
      "steering-summary",
      "sae-reading",
      "sae-ground-truth-bases",
    ]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) > 0, `no ${id} on the page`);
    }
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("the chosen SAE's row agrees with a recomputation from its downloads and the exported classifier", async () => {
    const id = (await selected(page, "SAE"))?.trim() ?? "";
    assert.equal(id, "neurons/topk-x4-k4");
    const safetensors = await downloaded(page, ".safetensors");
    const cfg = JSON.parse(new TextDecoder().decode(await downloaded(page, ".cfg.json")));
    assert.equal(cfg.d_in, 32, "relu_1 of the baseline MLP has 32 neurons");
    const truth = await independentSaeMetrics({ dist: join(root, "dist"), model: "baseline-mlp", safetensors, cfg, evaluationImages: null });
    const row = await tableRow(page, id);
    assert.equal(row.L0, truth.l0.toFixed(2), "L0");
    assert.equal(row["variance explained"], pct(truth.fractionVarianceExplained, 1), "variance explained");
    assert.equal(row.dead, String(truth.dead), "dead latents");
    assert.equal(row["accuracy spliced"], pct(truth.accuracy, 2), "accuracy spliced");
  });

  test("another feature, SAE, layer and model change what the page shows", async () => {
    const top = await html(page, "feature-top-images");
    const inversion = (await page.textContent("[data-testid=feature-inversion] figcaption")) ?? "";
    await control(page, "Feature").locator("input").fill("3");
    await changes(page, "feature-top-images", top);
    // Inversion climbs the new feature's pre-activation from its faint start.
    await page.waitForFunction((old) => {
      const text = document.querySelector("[data-testid=feature-inversion] figcaption")?.textContent ?? "";
      return text !== old && text.includes("feature 3's");
    }, inversion);
    const caption = (await page.textContent("[data-testid=feature-inversion] figcaption")) ?? "";
    const [, reached, start] = /pre-activation: (-?[\d.]+) \(from (-?[\d.]+) at the start\)/.exec(caption) ?? [];
    assert.ok(Number(reached) > Number(start), `inversion went from ${start} to ${reached}`);
    // Steering with another strength changes the predictions.
    const steered = (await page.textContent("[data-testid=steering-summary]")) ?? "";
    await control(page, "Steering strength").locator("input[type=text]").fill("-4");
    await page.waitForFunction(
      (old) =>
        (document.querySelector("[data-testid=steering-summary]")?.textContent ?? old) !== old &&
        document.querySelector("[data-testid=steering-summary]")!.textContent!.startsWith("Adding -4 × feature 3"),
      steered,
    );
    const density = await html(page, "feature-density");
    await control(page, "SAE").locator("select").selectOption({ label: "pca/l1-x4-lambda2" });
    await changes(page, "feature-density", density);
    const table = await html(page, "sae-table");
    await control(page, "Layer").locator("select").selectOption({ label: "relu_2" });
    await changes(page, "sae-table", table);
    const onRelu2 = await html(page, "sae-table");
    await control(page, "Model").locator("select").selectOption({ label: "CNN" });
    await changes(page, "sae-table", onRelu2);
    await waitForCells(page);
    await page.waitForSelector("[data-testid=feature-inversion]");
    assert.match((await page.textContent("main")) ?? "", /SAEs on relu_2 of CNN \(16 channels; each position of each image is one input\)/);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
    await control(page, "Model").locator("select").selectOption({ label: "Baseline" });
    await waitForCells(page);
  });

  test("live training reports progress, shows its SAE beside the sweep's, and a changed input cancels it", async () => {
    await control(page, "Steps").locator("input").fill("100000");
    await page.waitForSelector("[data-testid=sae-live-status]:has-text('of 100000')");
    // A new dictionary size replaces the long run with a short one.
    await control(page, "Latents").locator("input").fill("64");
    await control(page, "Steps").locator("input").fill("300");
    await page.waitForSelector("[data-testid=sae-live-status]:has-text('Trained 300 steps')", { timeout: 300_000 });
    // Each run has its own worker, terminated when it ends or its inputs change: a 100,000-step
    // run that was not cancelled would still hold one.
    for (let waited = 0; page.workers().length > 0 && waited < 5000; waited += 100) await page.waitForTimeout(100);
    assert.equal(
      page.workers().length,
      0,
      `workers still running: ${page
        .workers()
        .map((w) => w.url())
        .join(", ")}`,
    );
    await page.waitForFunction(() => Array.from(document.querySelectorAll("[data-testid=sae-table] td")).some((td) => td.textContent?.startsWith("live/")));
    const live = await page
      .locator("[data-testid=sae-table] td", { hasText: /^live\// })
      .first()
      .textContent();
    const row = await tableRow(page, (live ?? "").trim());
    assert.equal(row.latents, "64", "the live SAE's dictionary size");
    assert.ok(Number(row.L0) > 0 && Number(row.L0) <= 4, `a TopK SAE with k = 4 has L0 ${row.L0}`);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });

  test("bad values give a message in their cell and good ones clear it", async () => {
    const bad: [string, string, RegExp][] = [
      ["Latents", "0", /Latents must be a whole number from 1 to \d+; found 0\./],
      ["Sparsity", "99", /Sparsity \(k, the latents kept per input\) must be a whole number from 1 to 64; found 99\./],
      ["Steering strength", "50", /Steering strength must be from -20 to 20; found 50\./],
      ["Feature", "9999", /Feature must be a whole number from 0 to \d+; found 9999\./],
      ["Saliency image #", "2.5", /Saliency image # must be a whole number from 0 to 9999; found 2\.5\./],
      ["Inversion steps", "-3", /Inversion steps must be a whole number from 1 to 5000; found -3\./],
    ];
    for (const [label, value, message] of bad) {
      const input = control(page, label).locator("input[type=text], input:not([type])").first();
      const good = await input.inputValue();
      await input.fill(value);
      await page.waitForFunction(
        (source) => Array.from(document.querySelectorAll(".cell-error")).some((n) => new RegExp(source).test(n.textContent ?? "")),
        message.source,
      );
      await input.fill(good);
      await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    }
    // A negative L1 penalty, and the KL variant's target rate outside (0, 1).
    await control(page, "Architecture").locator("select").selectOption({ label: "l1" });
    await control(page, "Sparsity").locator("input").fill("-1");
    await page.waitForSelector(".cell-error:has-text('Sparsity (the L1 coefficient λ) must be from 0 to 100; found -1.')");
    await control(page, "Sparsity").locator("input").fill("2");
    await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    await control(page, "Architecture").locator("select").selectOption({ label: "kl" });
    await control(page, "Sparsity").locator("input").fill("1.5");
    await page.waitForSelector(".cell-error:has-text('must be from 0 to 1; found 1.5.')");
    await control(page, "Sparsity").locator("input").fill("0.05");
    await page.waitForFunction(() => document.querySelectorAll(".cell-error").length === 0);
    assert.deepEqual(problems, []);
  });

  test("20 changes of feature and steering strength leak no tensors", async () => {
    const numTensors = () => page.evaluate(() => (globalThis as any).__mnistRuntime.tf.memory().numTensors as number);
    await waitForCells(page);
    await page.waitForSelector("[data-testid=feature-inversion]");
    const before = await numTensors();
    for (let i = 0; i < 20; i++) {
      const [label, value] = i % 2 === 0 ? ["Feature", String(i % 16)] : ["Steering strength", String((i % 7) - 3)];
      await control(page, label).locator("input[type=text], input[type=number]").first().fill(value);
      await page.waitForTimeout(50);
    }
    await waitForCells(page);
    await page.waitForSelector("[data-testid=feature-inversion]");
    await page.waitForTimeout(500);
    await waitForCells(page);
    assert.equal(await numTensors(), before);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
  });
});
