// CNN training throughput in Node (wasm and cpu) next to PyTorch's CPU build with one thread, in
// the same run, so that the two can be compared on a noisy machine. Part of `npm run bench`;
// also runs alone: `npx tsx tests/bench/cnn-training.ts [--images=N] [--profile]`.
import { pathToFileURL } from "node:url";
import type { Scalar, SymbolicTensor, Tensor, Variable } from "@tensorflow/tfjs";
import { readDataset, type Dataset } from "../../data-loaders/dataset/read-dataset.js";
import { initTrainingBackend, type TrainingBackendName } from "../../data-loaders/training/node-backend.js";
import { trainClassifier, type TrainConfig } from "../../data-loaders/training/train.js";
import { imageBatch, oneHotBatch } from "../../data-loaders/training/batches.js";
import { buildModel } from "../../src/lib/models/architecture.js";
import { CNN } from "../../src/lib/models/registry.js";
import type { LayersModel, TF } from "../../src/lib/tf-types.js";
import { aroundPytorch, MNIST_IDX_DIR, type BenchRow } from "./pytorch.js";

export type { BenchRow };

export interface CnnBenchOptions {
  /** Training images per backend run (one epoch over the first N); default 60,000 on wasm. */
  images?: number;
  /** Images for the cpu backend, which is far slower; default 640. */
  cpuImages?: number;
  optimizer?: TrainConfig["optimizer"];
  /** Also time PyTorch (one thread) when python3 with torch is installed; default true. */
  pytorch?: boolean;
  log?: (line: string) => void;
}

const BATCH = 64;
const SEED = 1;

/** The registry's CNN (src/lib/models/registry.ts), built as the site trains it. */
export function buildBenchCnn(tf: TF): LayersModel {
  return buildModel(tf, CNN.architecture, { inputSize: 784, classes: 10 });
}

function trainingData(dataset: Dataset, images: number) {
  return {
    trainImages: dataset.train.images.subarray(0, images * 784),
    trainLabels: dataset.train.labels.subarray(0, images),
    testImages: dataset.test.images.subarray(0, 1000 * 784),
    testLabels: dataset.test.labels.subarray(0, 1000),
    classes: 10,
    inputShape: [784],
  };
}

async function nodeThroughput(dataset: Dataset, backend: TrainingBackendName, images: number, optimizer: TrainConfig["optimizer"]): Promise<number> {
  const { tf } = await initTrainingBackend({ backend });
  const model = buildBenchCnn(tf);
  const learningRate = optimizer === "adam" ? 0.001 : 0.05;
  const { history } = await trainClassifier(
    tf,
    model,
    trainingData(dataset, images),
    { epochs: 1, batchSize: BATCH, learningRate, optimizer, seed: SEED },
    { log: () => {} },
  );
  model.dispose();
  return history[1].imagesPerSecond;
}

/**
 * Trains the CNN for one pass over `images` images on wasm and cpu, and PyTorch before and after
 * them (so that a change in the machine's load shows), and reports images/s and the ratio of
 * wasm to PyTorch.
 */
export async function benchCnnTraining(options: CnnBenchOptions = {}): Promise<BenchRow[]> {
  const images = options.images ?? 60_000;
  const cpuImages = options.cpuImages ?? 640;
  const optimizer = options.optimizer ?? "sgd";
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const dataset = await readDataset();
  const rows: BenchRow[] = [];
  const record = (row: BenchRow) => {
    rows.push(row);
    const value = Number.isNaN(row.value) ? "n/a" : row.value.toLocaleString("en-US", { maximumFractionDigits: 2 });
    log(`bench: ${row.what}: ${value} ${row.unit}${row.note ? ` (${row.note})` : ""}`);
  };
  const what = (engine: string) => `training throughput, CNN conv8-pool-conv16-pool-dense32-dense10, ${engine}`;
  const note = (count: number) => `${count} images, batch ${BATCH}, ${optimizer}`;
  const args = ["--model=cnn", `--images=${images}`, `--optimizer=${optimizer}`, `--data=${MNIST_IDX_DIR}`];
  const runNode = async () => {
    const wasm = await nodeThroughput(dataset, "wasm", images, optimizer);
    record({ what: what("tfjs wasm"), value: wasm, unit: "img/s", note: note(images) });
    record({ what: what("tfjs cpu"), value: await nodeThroughput(dataset, "cpu", cpuImages, optimizer), unit: "img/s", note: note(cpuImages) });
    return wasm;
  };
  const { node: wasm, torch } =
    options.pytorch === false
      ? { node: await runNode(), torch: null }
      : await aroundPytorch(args, (when) => what(`PyTorch CPU, 1 thread, ${when}`), note(images), record, runNode);
  if (torch !== null) record({ what: "CNN training, tfjs wasm / PyTorch 1 thread", value: wasm / torch, unit: "x", note: "same run, PyTorch's mean" });
  return rows;
}

export interface KernelTiming {
  /** Kernel name and input shapes, e.g. "Conv2DBackpropFilter [64x13x13x8, 64x11x11x16]". */
  kernel: string;
  /** Median over the profiled steps of this kernel's total time in one step. */
  ms: number;
  calls: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * Where one training step of the CNN spends its time on the current backend: tf.profile's time
 * per kernel, as the median over `steps` steps (after one warm-up step), since other processes
 * on a small machine make single timings noisy. The last row is the step's wall time.
 */
export async function profileCnnStep(tf: TF, dataset: Dataset, steps: number): Promise<KernelTiming[]> {
  const model = buildBenchCnn(tf);
  const optimizer = tf.train.sgd(0.05);
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const rows = Array.from({ length: BATCH }, (_, i) => i);
  const x = imageBatch(tf, dataset.train.images, [784], rows);
  const y = oneHotBatch(tf, dataset.train.labels, 10, rows);
  const step = () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as Tensor) as Scalar, true, variables);
    loss?.dataSync();
    loss?.dispose();
  };
  step();
  const perStep = new Map<string, { ms: number[]; calls: number }>();
  const wall: number[] = [];
  for (let s = 0; s < steps; s++) {
    const started = performance.now();
    const info = await tf.profile(step);
    wall.push(performance.now() - started);
    const totals = new Map<string, { ms: number; calls: number }>();
    for (const kernel of info.kernels) {
      // Ops with custom gradients (fusedConv2d__op, ...) show up around their kernels: skip them.
      if (kernel.name.endsWith("__op")) continue;
      const key = `${kernel.name} [${kernel.inputShapes.map((shape) => (shape ? shape.join("x") : "")).join(", ")}]`;
      const entry = totals.get(key) ?? { ms: 0, calls: 0 };
      entry.ms += typeof kernel.kernelTimeMs === "number" ? kernel.kernelTimeMs : 0;
      entry.calls++;
      totals.set(key, entry);
    }
    for (const [key, { ms, calls }] of totals) {
      const entry = perStep.get(key) ?? { ms: [], calls };
      entry.ms.push(ms);
      perStep.set(key, entry);
    }
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  const result = [...perStep].map(([kernel, { ms, calls }]) => ({ kernel, ms: median(ms), calls })).sort((a, b) => b.ms - a.ms);
  result.push({ kernel: "(wall time of a step, profiling on)", ms: median(wall), calls: result.reduce((sum, row) => sum + row.calls, 0) });
  return result;
}

function parseArgs(argv: string[]): { images?: number; profile: boolean; optimizer: TrainConfig["optimizer"] } {
  let images: number | undefined;
  let profile = false;
  let optimizer: TrainConfig["optimizer"] = "sgd";
  for (const arg of argv) {
    const [key, value] = arg.split("=");
    if (key === "--images" && Number.isInteger(Number(value)) && Number(value) > 0) images = Number(value);
    else if (key === "--profile") profile = true;
    else if (key === "--optimizer" && (value === "sgd" || value === "adam")) optimizer = value;
    else throw new Error(`cnn-training bench: unknown argument ${arg}; expected --images=N, --optimizer=sgd|adam or --profile`);
  }
  return { images, profile, optimizer };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = parseArgs(process.argv.slice(2));
  if (args.profile) {
    const dataset = await readDataset();
    for (const backend of ["wasm", "cpu"] as const) {
      const { tf } = await initTrainingBackend({ backend });
      const profile = await profileCnnStep(tf, dataset, backend === "wasm" ? 30 : 3);
      const total = profile.slice(0, -1).reduce((sum, row) => sum + row.ms, 0);
      process.stdout.write(`\n${backend}: ${total.toFixed(2)} ms in kernels (sum of medians) per step of ${BATCH} images\n`);
      for (const row of profile) process.stdout.write(`${row.ms.toFixed(3).padStart(9)} ms  ${String(row.calls).padStart(4)}x  ${row.kernel}\n`);
    }
  } else {
    await benchCnnTraining({ images: args.images, optimizer: args.optimizer, log: (line) => void process.stdout.write(`${line}\n`) });
  }
}
