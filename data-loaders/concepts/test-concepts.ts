// The Morpho-MNIST-style concepts of every test image (src/lib/concepts), measured once into the
// artifact cache as the CSV that src/data/concepts/test.csv.ts serves. Consumers read them back
// through testConcepts(), which parses that very CSV, so every number they use is an exported one.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { artifactKey, withArtifact } from "../cache/artifact-cache.js";
import { readDataset } from "../dataset/read-dataset.js";
import { measureDigits } from "../../src/lib/concepts/measure.js";
import { conceptsCsv, parseConceptsCsv } from "../../src/lib/concepts/csv.js";
import type { ConceptColumns } from "../../src/lib/concepts/types.js";
import { producerCode } from "../cache/code-files.js";

const FILE = "test-concepts.csv";
const log = (line: string) => void process.stderr.write(`${line}\n`);

/** data/concepts/test.csv: the concepts of every test image, in dataset order. */
export async function testConceptsCsv(): Promise<Uint8Array> {
  const dataset = await readDataset();
  const key = await artifactKey({
    kind: "test-concepts",
    datasetChecksum: dataset.checksum,
    config: { split: "test" },
    codeFiles: await producerCode(import.meta.url),
  });
  const dir = await withArtifact(key, async (out) => {
    const { rows, cols } = dataset;
    if (rows !== cols) throw new Error(`concepts: expected square images, found ${rows} × ${cols}`);
    const { images, labels, count } = dataset.test;
    const started = performance.now();
    const columns = measureDigits(images, count, rows);
    const seconds = (performance.now() - started) / 1000;
    log(`concepts: ${count} test images measured in ${seconds.toFixed(1)} s (${((1000 * seconds) / Math.max(count, 1)).toFixed(2)} ms per image)`);
    await writeFile(join(out, FILE), conceptsCsv(labels, columns));
  });
  return readFile(join(dir, FILE));
}

/** The test images' concepts as parsed from data/concepts/test.csv. */
export async function testConcepts(): Promise<{ labels: Uint8Array; columns: ConceptColumns; count: number }> {
  const bytes = await testConceptsCsv();
  return parseConceptsCsv(new TextDecoder().decode(bytes), "data/concepts/test.csv");
}
