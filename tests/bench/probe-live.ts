// The probes page's live re-run in Chromium against the built site, per tfjs backend: the logistic
// probe on the baseline MLP's relu_1, on its 32 neurons and on the 128 codes of its 4x TopK SAE.
// Reports the page's own timings: computing the inputs for 20,000 images, and training the probe
// (L-BFGS on 10,000 rows) after the regularization strength changes.
// Part of `npm run bench`; also runs alone: `npx tsx tests/bench/probe-live.ts`.
import type { Page } from "playwright";
import { pathToFileURL } from "node:url";
import type { BenchRow } from "./sae-training.js";
import { withBenchSite } from "./bench-site.js";

/** WebGPU only counts on a hardware adapter; headless Chromium without a GPU falls back. */
const BACKENDS = ["wasm", "cpu", "webgpu"] as const;
const INPUTS = [
  { id: "neurons", title: "32 neurons" },
  { id: "neurons/topk-x4-k4", title: "128 TopK SAE codes" },
] as const;

/** The live row's "seconds" cell: "<probe> s (inputs: <features> s)". */
async function liveSeconds(page: Page, l2: string): Promise<{ probe: number; inputs: number }> {
  const row = page.locator("[data-testid=probe-live-table] tbody tr", { hasText: `λ = ${l2},` }).first();
  await row.waitFor();
  const text = (await row.locator("td").last().textContent()) ?? "";
  const match = /([\d.]+) s \(inputs: ([\d.]+) s\)/.exec(text);
  if (!match) throw new Error(`bench: the probes page's live row did not say how long it took: ${JSON.stringify(text)}`);
  return { probe: Number(match[1]), inputs: Number(match[2]) };
}

export async function benchProbeLive(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await withBenchSite(async (browser, url) => {
    for (const backend of BACKENDS) {
      for (const input of INPUTS) {
        const page = await browser.newPage();
        page.setDefaultTimeout(600_000);
        await page.goto(`${url}probes.html?backend=${backend}&model=baseline-mlp&layer=relu_1&input=${encodeURIComponent(input.id)}`);
        const first = await liveSeconds(page, "0.001");
        // Another λ retrains on the inputs already computed.
        await page.locator(`form:has(label:text-is("Regularization λ")) input`).fill("0.01");
        const second = await liveSeconds(page, "0.01");
        const ran = await page.evaluate(() => (globalThis as any).__mnistRuntime.tf.getBackend() as string);
        const asked = ran === backend ? ran : `${ran} (asked ${backend})`;
        const note = `baseline relu_1, ${input.title}, 10,000 training rows`;
        rows.push({ what: `probe live inputs (20,000 images), browser, ${asked}, ${input.title}`, value: first.inputs, unit: "s", note });
        rows.push({
          what: `probe live training, browser, ${asked}, ${input.title}`,
          value: second.probe,
          unit: "s",
          note: `${note}; λ 0.001 took ${first.probe.toFixed(2)} s`,
        });
        log(`bench: probes ${backend} ${input.id}: inputs ${first.inputs} s, probe ${first.probe} / ${second.probe} s`);
        await page.close();
      }
    }
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchProbeLive()) process.stdout.write(`${row.what}: ${row.value.toFixed(2)} ${row.unit} (${row.note})\n`);
}
