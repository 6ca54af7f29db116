// Every page at phone width, with Playwright's device emulation (touch, mobile viewport): no
// block whose content spills out of its box onto the next one, no horizontal scrolling of the
// page itself, touch-sized controls, a backend badge that covers nothing, and a finger-drawn
// stroke that reaches the network without scrolling the page. Full-page screenshots of every
// page at every width go to test-results/phone/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { devices, type CDPSession, type Page } from "playwright";
import { existingPages } from "../../src/lib/site-pages.js";
import { errorCells, openPage, openSite, root, waitForCells, type Site } from "./harness.js";

const PHONES = [
  { name: "pixel-7", device: devices["Pixel 7"] }, // 412 × 839
  { name: "galaxy-s8", device: devices["Galaxy S8"] }, // 360 × 740
];
const PAGES = ["index", ...existingPages((file) => existsSync(join(root, "src", file))).map((p) => p.path)];
const SHOTS = join(root, "test-results", "phone");
/** Smallest height of a control a finger has to hit (WCAG 2.5.5, Apple's guidelines). */
const MIN_TARGET = 44;

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  /** Main-column blocks whose box reaches into the next block's. */
  overlaps: string[];
  /** Elements that do not scroll or clip, yet whose content is larger than their box. */
  overflows: string[];
  /** Inputs, selects and buttons too small for a finger. */
  smallTargets: string[];
  /** What the backend badge covers, and whether it stays fixed over scrolling content. */
  badge: { position: string; covers: string[] } | null;
}

/** Measures the rendered page (scrolled to the top). */
function measure(page: Page, minTarget: number): Promise<Layout> {
  return page.evaluate((minTarget) => {
    scrollTo(0, 0);
    // Methods rather than arrow constants: tsx's keepNames would wrap those in a helper the page lacks.
    const tools = {
      describe(e: Element): string {
        const id = e.closest("[data-testid]")?.getAttribute("data-testid");
        const text = (e.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
        return `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ""}>${id ? ` in [data-testid=${id}]` : ""} "${text}"`;
      },
      intersects(a: DOMRect, b: DOMRect): boolean {
        return a.width > 0 && a.height > 0 && b.width > 0 && b.height > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      },
      visible(e: Element): boolean {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== "hidden";
      },
    };
    const main = document.querySelector("#observablehq-main")!;
    const blocks = [...main.children].filter((e) => ["static", "relative"].includes(getComputedStyle(e).position) && e.getBoundingClientRect().height > 0);
    const overlaps: string[] = [];
    for (let i = 0; i + 1 < blocks.length; i++) {
      const [a, b] = [blocks[i].getBoundingClientRect(), blocks[i + 1].getBoundingClientRect()];
      if (a.bottom > b.top + 1)
        overlaps.push(
          `${tools.describe(blocks[i])} ends at ${Math.round(a.bottom)}, below the top of ${tools.describe(blocks[i + 1])} at ${Math.round(b.top)}`,
        );
    }
    // scrollHeight/Width of a box that neither scrolls nor clips include whatever spills out of it.
    const overflows: string[] = [];
    for (const e of main.querySelectorAll("*")) {
      if (!(e instanceof HTMLElement) || !tools.visible(e)) continue;
      const style = getComputedStyle(e);
      if (style.overflowY === "visible" && e.scrollHeight > e.clientHeight + 1)
        overflows.push(`${tools.describe(e)}: content ${e.scrollHeight} px tall in a ${e.clientHeight} px box`);
      if (style.overflowX === "visible" && e.scrollWidth > e.clientWidth + 1)
        overflows.push(`${tools.describe(e)}: content ${e.scrollWidth} px wide in a ${e.clientWidth} px box`);
    }
    const smallTargets = [...main.querySelectorAll("input, select, button, summary")]
      .filter((e) => tools.visible(e) && e.getBoundingClientRect().height < minTarget)
      .map((e) => `${tools.describe(e)} ${(e as HTMLInputElement).type ?? ""}: ${Math.round(e.getBoundingClientRect().height)} px tall`);
    const badgeElement = document.querySelector("[data-testid=backend-badge]");
    let badge: Layout["badge"] = null;
    if (badgeElement) {
      const area = badgeElement.getBoundingClientRect();
      const covers = new Set<string>();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim() || badgeElement.contains(node) || !tools.visible(node.parentElement!)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        if ([...range.getClientRects()].some((r) => tools.intersects(r, area))) covers.add(tools.describe(node.parentElement!));
      }
      for (const e of document.querySelectorAll("svg, canvas, img, input, select, button")) {
        if (!badgeElement.contains(e) && tools.intersects(e.getBoundingClientRect(), area)) covers.add(tools.describe(e));
      }
      badge = { position: getComputedStyle(badgeElement).position, covers: [...covers] };
    }
    const { scrollWidth, clientWidth } = document.documentElement;
    return { scrollWidth, clientWidth, overlaps, overflows, smallTargets, badge };
  }, minTarget);
}

/** The pixels of every feature map (a canvas's markup does not change with its pixels). */
const mapPixels = (page: Page) =>
  page.$$eval("[data-testid=feature-maps] canvas", (canvases) => canvases.map((c) => (c as HTMLCanvasElement).toDataURL()).join("|"));

/**
 * A vertical finger stroke down the middle of the first drawing pad (a "1"), sent as real touch
 * input so that the browser may scroll the page if the pad lets it. Returns where the pad's top
 * is on the screen before, during and after the stroke: a pad that stays put was not scrolled
 * away under the finger. (scrollY alone would also move when a cell above the pad re-renders
 * and the browser's scroll anchoring keeps the pad where it is.)
 */
async function touchStroke(page: Page, cdp: CDPSession): Promise<number[]> {
  const pad = page.locator("[data-testid=drawing-pad] canvas").first();
  await pad.scrollIntoViewIfNeeded();
  const padTop = () => pad.evaluate((canvas) => Math.round(canvas.getBoundingClientRect().top));
  // Let the scroll into view (smooth, and cells may still lay out) come to rest: the same
  // position on three reads 100 ms apart.
  for (let still = 0, last = await padTop(); still < 2;) {
    await page.waitForTimeout(100);
    const now = await padTop();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const box = await pad.boundingBox();
  assert.ok(box, "the drawing pad has no box");
  const at = (t: number) => [{ x: box.x + box.width * 0.5, y: box.y + box.height * t }];
  const scrolls = [await padTop()];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0.15) });
  for (let t = 0.2; t <= 0.85; t += 0.05) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(t) });
    scrolls.push(await padTop());
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.waitForTimeout(200); // a fling would move the page after the finger lifts
  scrolls.push(await padTop());
  return scrolls;
}

for (const phone of PHONES) {
  const width = phone.device.viewport.width;
  describe(`every page on a phone: ${phone.name} (${width} px)`, { timeout: 10 * 60 * 1000 }, () => {
    let site: Site;
    before(async () => {
      site = await openSite();
      mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => site?.close());

    for (const path of PAGES) {
      test(path, async (t) => {
        const { page, problems } = await openPage(site, `${path}.html?backend=wasm`, { timeout: 180_000, device: phone.device });
        await waitForCells(page);
        // Worker-backed cells show a progress note (data-testid ending in "progress") until their result replaces it.
        await page.waitForFunction(() => document.querySelectorAll("[data-testid$=progress]").length === 0);
        assert.deepEqual(await errorCells(page), []);

        // Every problem of the page at once, so that one run lists them all.
        const failures: string[] = [];
        // Drawn first, so that the measurements and the screenshot include the pad's output.
        if ((await page.locator("[data-testid=drawing-pad]").count()) > 0) {
          const cdp = await page.context().newCDPSession(page);
          const hasMaps = (await page.locator("[data-testid=feature-maps]").count()) > 0;
          const maps = hasMaps ? await mapPixels(page) : "";
          const scrolls = await touchStroke(page, cdp);
          if (!scrolls.every((y) => y === scrolls[0])) failures.push(`the page scrolled while drawing: the pad's top on screen ${scrolls.join(", ")} px`);
          // The pad's output: the CNN page's feature maps, the model pages' prediction.
          if (hasMaps) {
            await page.waitForFunction(
              (old) =>
                Array.from(document.querySelectorAll("[data-testid=feature-maps] canvas"), (c) => (c as HTMLCanvasElement).toDataURL()).join("|") !== old,
              maps,
              { timeout: 30_000 },
            );
          } else {
            const prediction = await page.waitForSelector("[data-testid=draw-prediction]", { timeout: 30_000 });
            assert.match((await prediction.textContent()) ?? "", /prediction: \S+ \(\d+\.\d%\)/);
          }
          failures.push(...(await errorCells(page)));
        }

        const layout = await measure(page, MIN_TARGET);
        t.diagnostic(`page ${layout.scrollWidth} px wide in a ${width} px viewport; badge ${layout.badge?.position ?? "missing"}`);
        failures.push(...layout.overlaps, ...layout.overflows, ...layout.smallTargets);
        if (layout.scrollWidth !== width || layout.clientWidth !== width)
          failures.push(`the page is ${layout.scrollWidth} px wide (layout viewport ${layout.clientWidth} px) on a ${width} px screen`);
        if (!layout.badge) failures.push("no backend badge");
        else {
          failures.push(...layout.badge.covers.map((what) => `the backend badge covers ${what}`));
          // A badge fixed to the screen covers whatever scrolls under it.
          if (["fixed", "sticky"].includes(layout.badge.position)) failures.push(`the backend badge is ${layout.badge.position} over the content`);
        }
        // Last: a full-page screenshot resizes the viewport for a moment, which re-runs width-dependent cells.
        await page.screenshot({ path: join(SHOTS, `${phone.name}-${path}.png`), fullPage: true, scale: "css" });
        for (const line of failures) t.diagnostic(line);
        assert.deepEqual(failures, []);
        assert.deepEqual(problems, []);
        await page.close();
      });
    }
  });
}
