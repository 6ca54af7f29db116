import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { activeBackend, errorCells, openPage, openSite, waitForCells, type Site } from "./harness.js";

async function meanStats(page: import("playwright").Page) {
  await page.waitForSelector("[data-stat=backend]");
  return page.$$eval("[data-stat]", (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.stat, c.textContent ?? ""])));
}

describe("index page", { timeout: 10 * 60 * 1000 }, () => {
  let site: Site;
  before(async () => (site = await openSite()));
  after(async () => site?.close());

  test("loads with the dataset summary, no error cell and no console error", async () => {
    const { page, problems } = await openPage(site, "index.html");
    await waitForCells(page);
    assert.deepEqual(await errorCells(page), []);
    const text = await page.textContent("main");
    assert.match(text ?? "", /60,000 training\s+and 10,000 test images/);
    assert.equal(await page.locator(".digit-grid canvas").count(), 60);
    assert.match((await page.textContent(".backend-badge")) ?? "", /^tfjs: (wasm|webgl|cpu|webgpu) · \S/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("the live cell re-runs when the reader picks another class", async () => {
    const { page, problems } = await openPage(site, "index.html?backend=wasm");
    const first = await meanStats(page);
    await page.selectOption("select", { label: "3" });
    await page.waitForFunction((before) => document.querySelector("[data-stat=mean-ink]")?.textContent !== before, first["mean-ink"]);
    const second = await meanStats(page);
    assert.notEqual(second["mean-ink"], first["mean-ink"]);
    assert.match(second.backend, /^wasm in/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("?backend=webgpu really computes on WebGPU and agrees with the cpu backend", async () => {
    const gpu = await openPage(site, "index.html?backend=webgpu");
    const gpuStats = await meanStats(gpu.page);
    assert.equal(await activeBackend(gpu.page), "webgpu");
    assert.match(gpuStats.backend, /^webgpu in/);
    assert.match((await gpu.page.textContent(".backend-badge")) ?? "", /^tfjs: webgpu · /);
    const cpu = await openPage(site, "index.html?backend=cpu");
    const cpuStats = await meanStats(cpu.page);
    assert.equal(await activeBackend(cpu.page), "cpu");
    for (const key of ["mean-ink", "max", "max-diff"]) {
      assert.ok(Math.abs(Number(gpuStats[key]) - Number(cpuStats[key])) <= 2e-5, `${key}: webgpu ${gpuStats[key]} vs cpu ${cpuStats[key]}`);
    }
    assert.deepEqual([...gpu.problems, ...cpu.problems], []);
    await gpu.page.close();
    await cpu.page.close();
  });

  test("a lost WebGPU device falls back to another backend and says so", async () => {
    const { page, problems } = await openPage(site, "index.html?backend=webgpu");
    await meanStats(page);
    await page.evaluate(() => (globalThis as any).__mnistRuntime.tf.backend().device.destroy());
    await page.waitForFunction(() => (globalThis as any).__mnistRuntime.backendStatus().backend !== "webgpu");
    const badge = (await page.textContent(".backend-badge")) ?? "";
    assert.match(badge, /^tfjs: wasm · .* \(webgpu device lost/);
    assert.deepEqual(
      problems.filter((p) => !/device (was )?lost|destroyed/i.test(p)),
      [],
    );
    await page.close();
  });
});

describe("index page without WebGPU", { timeout: 5 * 60 * 1000 }, () => {
  let site: Site;
  before(async () => (site = await openSite({ webgpu: false })));
  after(async () => site?.close());

  test("?backend=webgpu falls back to a CPU backend and the badge says why", async () => {
    const { page, problems } = await openPage(site, "index.html?backend=webgpu");
    const stats = await meanStats(page);
    assert.notEqual(await activeBackend(page), "webgpu");
    assert.match(stats.backend, /^(wasm|webgl|cpu) in/);
    assert.match((await page.textContent(".backend-badge")) ?? "", /webgpu unavailable/);
    assert.deepEqual(await errorCells(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
