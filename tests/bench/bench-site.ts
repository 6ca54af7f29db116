// The built site served locally and Debian's Chromium, for the benchmarks that drive pages.
import { chromium, type Browser } from "playwright";
import { join } from "node:path";
import { serveStatic } from "../../data-loaders/build/serve-static.js";
import { root } from "../e2e/harness.js";

/** Runs `work` with a browser and the address dist/ is served at; closes both afterwards. */
export async function withBenchSite(work: (browser: Browser, url: string) => Promise<void>): Promise<void> {
  const server = await serveStatic({ dir: join(root, "dist"), base: "/bench/" });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--enable-unsafe-webgpu"] });
  try {
    await work(browser, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}
