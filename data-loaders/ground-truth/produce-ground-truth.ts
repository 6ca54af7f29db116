// Produces one model's ground-truth scores into the artifact cache, for the build's precompute
// step (one process per model, after its SAE sweeps and the concepts). Usage: produce-ground-truth.ts --model=<name>
import { loaderParam } from "../run-loader.js";
import { groundTruthResults } from "./ground-truth-results.js";

try {
  await groundTruthResults(loaderParam("model"));
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
