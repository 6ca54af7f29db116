// How responsive each page is on this machine, in Chromium against the built site (wasm backend):
// the time from navigation until every cell has settled (none pending), and the main thread's
// long tasks (PerformanceObserver "longtask": any task over 50 ms) on first load and over a
// scripted set of control changes. Cells that announce their progress (UMAP) may still be running.
import type { Page } from "playwright";
import type { CellTiming } from "./page-cells.js";
import { withBenchSite } from "./bench-site.js";

/** Scripted control changes per page: each returns when the page has reacted. */
const SCRIPTS: Record<string, ((page: Page) => Promise<void>)[]> = {
  "index.html": [(page) => select(page, "Class", "3")],
  "cnn.html": [
    (page) => typeInto(page, "Maps: test image #", "7"),
    (page) => select(page, "Colour scale", "per map"),
    (page) => typeInto(page, "Channel", "5"),
    (page) => typeInto(page, "Scale", "2"),
  ],
  "baseline-mlp.html": [
    (page) => typeInto(page, "Epoch", "5"),
    (page) => select(page, "Histogram layer", "relu_2"),
    (page) => select(page, "Selectivity layer", "relu_1"),
    (page) => typeInto(page, "Scale", "2"),
    (page) => typeInto(page, "Units", "0-7"),
    (page) => typeInto(page, "k", "5"),
    (page) => typeInto(page, "Test image #", "12"),
  ],
  "normalized-mlp.html": [
    (page) => select(page, "Model", "LayerNorm after ReLU"),
    (page) => typeInto(page, "Epoch", "5"),
    (page) => typeInto(page, "Scale", "2"),
    (page) => typeInto(page, "Test image #", "12"),
  ],
};

const control = (page: Page, label: string) => page.locator(`form:has(label:text-is("${label}"))`);

/** Picks an option by the text the reader sees. */
async function select(page: Page, label: string, option: string): Promise<void> {
  await control(page, label).locator("select").selectOption({ label: option });
  await settled(page);
}

async function typeInto(page: Page, label: string, value: string): Promise<void> {
  await control(page, label).locator("input[type=text]").fill(value);
  await settled(page);
}

/** No cell pending, for two animation frames in a row. */
async function settled(page: Page): Promise<void> {
  await page.waitForTimeout(50);
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, undefined, { timeout: 600_000 });
}

declare global {
  interface Window {
    __longTasks: { start: number; duration: number }[];
  }
}

export async function benchPageSettle(pages: string[]): Promise<CellTiming[]> {
  const results: CellTiming[] = [];
  await withBenchSite(async (browser, url) => {
    for (const path of pages) {
      const context = await browser.newContext();
      await context.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
        }).observe({ type: "longtask", buffered: true });
      });
      const page = await context.newPage();
      page.setDefaultTimeout(600_000);
      await page.goto(`${url}${path}?backend=wasm`);
      await settled(page);
      const settleMs = await page.evaluate(() => performance.now());
      const load = await page.evaluate(() => window.__longTasks.splice(0));
      const sum = (tasks: { duration: number }[]) => tasks.reduce((a, t) => a + t.duration, 0);
      const max = (tasks: { duration: number }[]) => Math.max(0, ...tasks.map((t) => t.duration));
      results.push({ what: `${path}: settled after load`, value: settleMs / 1000, unit: "s", note: "wasm; cells that show progress may still run" });
      results.push({
        what: `${path}: long tasks on load, total`,
        value: sum(load),
        unit: "ms",
        note: `${load.length} tasks, longest ${max(load).toFixed(0)} ms`,
      });
      const script = SCRIPTS[path] ?? [];
      if (script.length > 0) {
        for (const step of script) await step(page);
        const changes = await page.evaluate(() => window.__longTasks.splice(0));
        results.push({
          what: `${path}: long tasks over ${script.length} control changes, total`,
          value: sum(changes),
          unit: "ms",
          note: `${changes.length} tasks, longest ${max(changes).toFixed(0)} ms`,
        });
      }
      await context.close();
    }
  });
  return results;
}
