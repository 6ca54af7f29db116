// Produces one model's probes into the artifact cache, for the build's precompute step (one
// process per model, after its SAE sweeps). Usage: produce-probes.ts --model=<name>
import { loaderParam } from "../run-loader.js";
import { probeResults } from "./probe-results.js";

try {
  await probeResults(loaderParam("model"));
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
