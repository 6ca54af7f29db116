import { existsSync } from "node:fs";
import { join } from "node:path";
import { runLoader } from "../../data-loaders/run-loader.js";
import { existingPages } from "../lib/site-pages.js";

await runLoader(async () => JSON.stringify(existingPages((file) => existsSync(join("src", file)))));
