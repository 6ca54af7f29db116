// The SAE page's live training in Chromium against the built site, per tfjs backend: an 8x TopK
// SAE (k 4) on the baseline MLP's relu_1 (32 -> 256 latents, batch 256, the trainer's default),
// trained in the page's Web Worker. Reports the worker's steps/s and training seconds (from the
// page's own status line) and the wall time from asking for the run to its metrics in the table.
// Part of `npm run bench`; also runs alone: `npx tsx tests/bench/sae-live.ts`.
import { pathToFileURL } from "node:url";
import { SAE_DEFAULTS } from "../../src/lib/sae/config.js";
import type { BenchRow } from "./sae-training.js";
import { withBenchSite } from "./bench-site.js";

const STEPS = 1000;
const LATENTS = 256;
/** WebGPU only counts on a hardware adapter; headless Chromium without a GPU falls back. */
const BACKENDS = ["wasm", "cpu", "webgpu"] as const;

export async function benchSaeLive(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await withBenchSite(async (browser, url) => {
    for (const backend of BACKENDS) {
      const page = await browser.newPage();
      page.setDefaultTimeout(600_000);
      // Open with a 1-step run, wait for the page, then ask for the measured run: the clock then
      // covers the run alone, not the page's first load.
      await page.goto(`${url}sae.html?backend=${backend}&live-arch=topk&live-latents=${LATENTS}&live-sparsity=4&live-steps=1`);
      await page.waitForSelector("[data-testid=sae-live-status]:has-text('Trained 1 steps')");
      const started = Date.now();
      await page.locator(`form:has(label:text-is("Steps")) input`).fill(String(STEPS));
      await page.waitForSelector(`[data-testid=sae-live-status]:has-text('Trained ${STEPS} steps')`);
      await page.waitForFunction(
        (steps) => Array.from(document.querySelectorAll("[data-testid=sae-table] td")).some((td) => td.textContent?.trim() === `live/topk-${steps}`),
        LATENTS,
      );
      const wall = (Date.now() - started) / 1000;
      const status = (await page.textContent("[data-testid=sae-live-status]")) ?? "";
      const match = /Trained (\d+) steps on (.+?) in ([\d.]+) s \((\d+) steps\/s\)/.exec(status);
      if (!match) throw new Error(`bench: the SAE page's live status did not say how fast it trained: ${JSON.stringify(status)}`);
      const [, , ran, seconds] = match;
      const note = `8x TopK k 4 on baseline relu_1 (32 -> ${LATENTS}), batch ${SAE_DEFAULTS.batchSize}, ${STEPS} steps in the page's worker`;
      const asked = ran === backend ? ran : `${ran} (asked ${backend})`;
      rows.push({ what: `SAE live training, browser, ${asked}`, value: STEPS / Number(seconds), unit: "steps/s", note });
      rows.push({
        what: `SAE live training to metrics in the table, browser, ${asked}`,
        value: wall,
        unit: "s",
        note: `${Number(seconds).toFixed(1)} s of it training`,
      });
      log(`bench: ${backend}: ${status}`);
      await page.close();
    }
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchSaeLive()) process.stdout.write(`${row.what}: ${row.value.toFixed(1)} ${row.unit} (${row.note})\n`);
}
