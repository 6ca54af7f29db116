// The ground-truth page's live planted-feature benchmark in Chromium against the built site, per
// tfjs backend, at the page's defaults (d 24, n 96, 20,000 samples, every architecture at its
// default steps): the wall time from asking for the run to the results table, and the page's own
// account of it (training backend, planting and total seconds). BENCH_BACKENDS=wasm,cpu picks the backends.
// Part of `npm run bench`; also runs alone: `npx tsx tests/bench/planted-live.ts`.
import { pathToFileURL } from "node:url";
import { PLANTED_DEFAULT_STEPS } from "../../src/lib/planted/benchmark.js";
import type { BenchRow } from "./sae-training.js";
import { withBenchSite } from "./bench-site.js";

const BACKENDS = (process.env.BENCH_BACKENDS?.split(",") ?? ["wasm", "cpu", "webgpu"]) as readonly string[];

export async function benchPlantedLive(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await withBenchSite(async (browser, url) => {
    for (const backend of BACKENDS) {
      const page = await browser.newPage();
      page.setDefaultTimeout(900_000);
      // A 1-step run first, so that the clock covers the measured run alone, not the page's load.
      await page.goto(`${url}ground-truth.html?backend=${backend}&planted-steps=1`);
      await page.waitForSelector("[data-testid=planted-status]:has-text('Trained')");
      const started = Date.now();
      await page.locator(`form:has(label:text-is("SAE steps")) input`).fill(String(PLANTED_DEFAULT_STEPS));
      await page.waitForSelector(`[data-testid=planted-status]:has-text('${PLANTED_DEFAULT_STEPS} steps each')`);
      const wall = (Date.now() - started) / 1000;
      const status = (await page.textContent("[data-testid=planted-status]")) ?? "";
      const match = /on (.+?); .* planted in ([\d.]+) s; everything took ([\d.]+) s/.exec(status);
      if (!match) throw new Error(`bench: the planted benchmark's status did not say how it ran: ${JSON.stringify(status)}`);
      const [, ran, planting] = match;
      rows.push({
        what: `planted benchmark to results, browser, ${ran} (asked ${backend})`,
        value: wall,
        unit: "s",
        note: `4 architectures × ${PLANTED_DEFAULT_STEPS} steps, default spec; planting ${planting} s`,
      });
      log(`bench: ${backend}: ${status}`);
      await page.close();
    }
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchPlantedLive()) process.stdout.write(`${row.what}: ${row.value.toFixed(1)} ${row.unit} (${row.note})\n`);
}
