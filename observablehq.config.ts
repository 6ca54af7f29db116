import { existsSync } from "node:fs";
import { join } from "node:path";
import { existingPages } from "./src/lib/site-pages.js";

const pages = existingPages((file) => existsSync(join("src", file)));

export default {
  title: "Taking MNIST networks apart",
  root: "src",
  // The build script renders into a scratch folder and swaps it in only on success.
  output: process.env.SITE_OUTPUT_DIR ?? "dist",
  pages: [{ name: "Home", path: "/index" }, ...pages.map((p) => ({ name: p.name, path: `/${p.path}` }))],
  // Links end in .html so that any plain static file server (also under a sub-path) serves them.
  preserveExtension: true,
  search: false,
  pager: true,
  toc: true,
  style: "style.css",
  // No web fonts: the site must work offline and from any host (Framework's default loads Google Fonts).
  globalStylesheets: [],
  head: `<link rel="icon" href="data:,">`,
  footer: "Every number on these pages is computed at build time or in your browser from the dataset by the code in this repository.",
};
