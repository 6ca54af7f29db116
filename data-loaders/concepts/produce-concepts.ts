// Measures the test images' concepts into the artifact cache, for the build's precompute step
// (needs no model, so it runs alongside the training). Usage: produce-concepts.ts
import { testConceptsCsv } from "./test-concepts.js";

try {
  await testConceptsCsv();
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
