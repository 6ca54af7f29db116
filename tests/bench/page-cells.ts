// Latency of the pages' live cells, measured in Chromium against the built site: the baseline
// page's intervention cell on every backend (the page reports how long each re-run of the
// 10,000 test images took) and its UMAP cell at the default settings.
import type { Page } from "playwright";
import { withBenchSite } from "./bench-site.js";

export interface CellTiming {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

const BACKENDS = ["wasm", "webgl", "cpu", "webgpu"] as const;
const MOVES = 30;

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

async function interventionLatencies(page: Page): Promise<number[]> {
  const scale = page.locator('form:has(label:text-is("Scale")) input[type=text]');
  const times: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const value = ((i * 7) % 60) / 20 + 0.05; // 0.05 .. 3, never the same twice in a row
    const label = value.toFixed(2);
    await scale.fill(String(value));
    const summary = await page.waitForFunction(
      (s) => {
        const text = document.querySelector("[data-testid=intervention-summary]")?.textContent ?? "";
        return text.includes(`by ${s}:`) ? text : null;
      },
      label,
      { timeout: 120_000 },
    );
    const match = /in ([\d.]+) ms/.exec(String(await summary.jsonValue()));
    if (match) times.push(Number(match[1]));
  }
  return times.sort((a, b) => a - b);
}

export async function benchPageCells(pages: string[]): Promise<CellTiming[]> {
  if (!pages.includes("baseline-mlp.html")) return [];
  const results: CellTiming[] = [];
  await withBenchSite(async (browser, url) => {
    for (const backend of BACKENDS) {
      const page = await browser.newPage();
      page.setDefaultTimeout(600_000);
      await page.goto(`${url}baseline-mlp.html?backend=${backend}`);
      await page.waitForSelector("[data-testid=intervention-summary]");
      const active = await page.evaluate(() => (globalThis as any).__mnistRuntime.tf.getBackend() as string);
      if (active !== backend) {
        results.push({ what: `intervention cell, ${backend}`, value: NaN, unit: "ms", note: `unavailable; the page fell back to ${active}` });
        await page.close();
        continue;
      }
      const adapter = backend === "webgpu" ? await page.evaluate(() => (globalThis as any).__mnistRuntime.backendStatus().adapter as string) : "";
      const times = await interventionLatencies(page);
      const note = `${times.length} slider moves, 10,000 images${adapter ? `, adapter ${adapter}` : ""}`;
      results.push({ what: `intervention cell median, ${backend}`, value: quantile(times, 0.5), unit: "ms", note });
      results.push({ what: `intervention cell p95, ${backend}`, value: quantile(times, 0.95), unit: "ms", note });
      if (backend === "wasm") {
        const title = await page.waitForSelector("[data-umap-key]").then((el) => el.textContent());
        const seconds = /\(([\d.]+) s\)/.exec(title ?? "");
        if (seconds)
          results.push({ what: "UMAP cell, default settings", value: Number(seconds[1]), unit: "s", note: "1,000 images, n_neighbors 15, min_dist 0.1" });
      }
      await page.close();
    }
  });
  return results;
}
