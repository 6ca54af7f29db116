// Produces the build's planted-feature benchmark run into the artifact cache, for the build's precompute step.
import { plantedBuildDir } from "./build-run.js";

try {
  await plantedBuildDir();
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
