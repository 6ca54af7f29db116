// Training throughput of the baseline MLP (784-32-16-10, batch 64, SGD lr 0.01, one epoch) in
// Node: the tfjs path on wasm and on cpu, the fused WebAssembly path, and PyTorch's CPU build on
// one thread before and after them (so that a change in the machine's load shows). Part of
// `npm run bench`; also runs alone: `npx tsx tests/bench/mlp-training.ts`.
import { pathToFileURL } from "node:url";
import { readDataset, type Dataset } from "../../data-loaders/dataset/read-dataset.js";
import { kernelModule } from "../../data-loaders/training/kernels/build-kernels.js";
import { initTrainingBackend, type TrainingBackendName } from "../../data-loaders/training/node-backend.js";
import { trainClassifier } from "../../data-loaders/training/train.js";
import { buildModel } from "../../src/lib/models/architecture.js";
import { modelEntry } from "../../src/lib/models/registry.js";
import { aroundPytorch, MNIST_IDX_DIR, type BenchRow } from "./pytorch.js";

const IMAGES = 60_000;
const CPU_IMAGES = 12_800;

/** One epoch over the first `count` training images; images/s as the trainer measures it (the epoch's loop, evaluation left out). */
async function nodeThroughput(dataset: Dataset, backend: TrainingBackendName, count: number, fused: boolean): Promise<number> {
  const { tf } = await initTrainingBackend({ backend });
  const baseline = modelEntry("baseline-mlp");
  const model = buildModel(tf, baseline.architecture, { inputSize: 784, classes: dataset.classNames.length });
  const data = {
    trainImages: dataset.train.images.subarray(0, count * 784),
    trainLabels: dataset.train.labels.subarray(0, count),
    testImages: dataset.test.images.subarray(0, 1000 * 784),
    testLabels: dataset.test.labels.subarray(0, 1000),
    classes: dataset.classNames.length,
    inputShape: [784],
  };
  const { history } = await trainClassifier(
    tf,
    model,
    data,
    { ...baseline.train, epochs: 1 },
    { log: () => {} },
    fused ? { kernels: await kernelModule() } : {},
  );
  model.dispose();
  return history[1].imagesPerSecond;
}

export async function benchMlpTraining(log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  const dataset = await readDataset();
  const rows: BenchRow[] = [];
  const record = (row: BenchRow) => {
    rows.push(row);
    log(
      `bench: ${row.what}: ${Number.isNaN(row.value) ? "n/a" : row.value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${row.unit}${row.note ? ` (${row.note})` : ""}`,
    );
  };
  const what = (engine: string) => `training throughput, baseline MLP 784-32-16-10, ${engine}`;
  const note = (count: number) => `1 epoch of ${count} images, batch 64, SGD`;
  const args = ["--model=mlp", `--images=${IMAGES}`, "--optimizer=sgd", `--data=${MNIST_IDX_DIR}`];
  const { node: fused, torch } = await aroundPytorch(
    args,
    (when) => what(`PyTorch CPU, 1 thread, ${when}`),
    note(IMAGES),
    record,
    async () => {
      const tfjs = await nodeThroughput(dataset, "wasm", IMAGES, false);
      record({ what: what("tfjs wasm"), value: tfjs, unit: "img/s", note: note(IMAGES) });
      const fusedRate = await nodeThroughput(dataset, "wasm", IMAGES, true);
      record({ what: what("fused wasm"), value: fusedRate, unit: "img/s", note: `${note(IMAGES)}; ${(fusedRate / tfjs).toFixed(1)}x the tfjs path` });
      record({ what: what("tfjs cpu"), value: await nodeThroughput(dataset, "cpu", CPU_IMAGES, false), unit: "img/s", note: note(CPU_IMAGES) });
      return fusedRate;
    },
  );
  if (torch !== null) record({ what: "MLP training, fused wasm / PyTorch 1 thread", value: fused / torch, unit: "x", note: "same run, PyTorch's mean" });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchMlpTraining((line) => void process.stdout.write(`${line}\n`));
}
