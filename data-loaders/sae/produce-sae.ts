// Produces the SAE sweep file of one (model, layer) into the artifact cache, for the build's
// precompute step (one process per layer, as many at once as there are cores).
// Usage: produce-sae.ts --model=<name> --layer=<relu_i>
import { loaderParam } from "../run-loader.js";
import { saeSweepFile } from "./sae-sweep-file.js";

try {
  await saeSweepFile(loaderParam("model"), loaderParam("layer"));
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
