import { runLoader } from "../../../data-loaders/run-loader.js";
import { testConceptsCsv } from "../../../data-loaders/concepts/test-concepts.js";

await runLoader(() => testConceptsCsv());
