// Shared set-up for the end-to-end tests: dist/ served by a plain static server under a
// sub-path, Debian's Chromium driven by Playwright, and a page wrapper that collects every
// console error, page error and attempt to leave this machine.
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from "playwright";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { serveStatic, type StaticServer } from "../../data-loaders/build/serve-static.js";

export const root = resolve(import.meta.dirname, "..", "..");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Site {
  server: StaticServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves dist/ under /mnist/ (a sub-path, as on a real host) and starts Chromium. */
export async function openSite(options: { webgpu?: boolean } = {}): Promise<Site> {
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`no built site in ${dist}: run \`npm run build\` first`);
  const server = await serveStatic({ dir: dist, base: "/mnist/" });
  const args = ["--no-sandbox", "--disable-gpu-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
  if (options.webgpu !== false) args.push("--enable-unsafe-webgpu");
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  return { server, browser, close: async () => (await browser.close(), await server.close()) };
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught page errors and blocked non-local requests, in order. */
  problems: string[];
}

/** Opens `path` in a fresh context; `device` emulates a phone (e.g. Playwright's `devices["Pixel 7"]`). */
export async function openPage(site: Site, path: string, options: { timeout?: number; device?: BrowserContextOptions } = {}): Promise<WatchedPage> {
  const page = await site.browser.newPage(options.device);
  page.setDefaultTimeout(options.timeout ?? 120_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
    problems.push(`request to another host: ${url.href}`);
    return route.abort();
  });
  await page.goto(site.server.url + path);
  return { page, problems };
}

/** Waits until Framework has rendered every cell (no cell still pending). */
export async function waitForCells(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0);
}

/** Framework renders a cell that threw as `.observablehq--error`; our cells show `.cell-error`. */
export async function errorCells(page: Page): Promise<string[]> {
  return page.$$eval(".observablehq--error, .cell-error", (nodes) => nodes.map((n) => n.textContent ?? ""));
}

export async function activeBackend(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as any).__mnistRuntime.tf.getBackend());
}

/** The page control labelled `label` (a form from src/components/controls.ts). */
export const control = (page: Page, label: string): Locator => page.locator(`form:has(label:text-is("${label}"))`);

/** The markup of the first element with this test id. */
export const html = (page: Page, testId: string): Promise<string> => page.locator(`[data-testid=${testId}]`).first().innerHTML();

/** Waits until the element with this test id shows something other than `before`. */
export const changes = (page: Page, testId: string, before: string) =>
  page.waitForFunction(
    ([id, old]) => {
      const node = document.querySelector(`[data-testid=${id}]`);
      return node !== null && node.innerHTML !== old;
    },
    [testId, before] as const,
  );

/** One row of an Inputs.table by column header (the table may prepend cells without a header). */
export async function rowCells(table: Locator, row: Locator): Promise<Record<string, string>> {
  const headers = (await table.locator("thead th").allTextContents()).map((h) => h.trim());
  const cells = (await row.first().locator("td").allTextContents()).map((c) => c.trim());
  const offset = cells.length - headers.length;
  return Object.fromEntries(headers.map((h, i) => [h, cells[i + offset] ?? ""]).filter(([h]) => h !== ""));
}

/** The bytes behind a download link of the page (a blob: URL made in the page) that `selector` finds. */
export async function downloadedBytes(page: Page, selector: string): Promise<Uint8Array> {
  const href = await page.locator(selector).first().getAttribute("href");
  if (!href) throw new Error(`no download link ${selector} on the page`);
  const base64 = await page.evaluate(async (url) => {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, href);
  return new Uint8Array(Buffer.from(base64, "base64"));
}
