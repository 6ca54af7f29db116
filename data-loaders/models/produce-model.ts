// Produces everything the build needs of one registry model into the artifact cache: the trained
// model, its build-time t-SNE map and its comparison summary. The build runs one process per
// model, as many at once as there are cores, before Framework's loaders (which run one at a
// time) read the results from the cache. Usage: produce-model.ts --model=<name>
import { fileURLToPath } from "node:url";
import { loaderParam } from "../run-loader.js";
import { trainedModel } from "./trained-model.js";
import { tsneFile } from "./tsne-embedding.js";
import { summaryFile } from "./model-summary-file.js";

export async function produceModel(name: string): Promise<void> {
  const { entry } = await trainedModel(name);
  await summaryFile(name);
  if (entry.tsne) await tsneFile(name);
}

// Imported by the build to look for the results in the cache; run as a script to produce them.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await produceModel(loaderParam("model"));
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
