// Every model the site trains, one entry each: its architecture, its training setup and which
// page shows it. The build trains, caches and exports each entry (data-loaders/models/), the
// parameterized loaders in src/data/models/[model]/ serve its files, and pages pick models by
// name. Adding a model is adding an entry here.
import type { ArchitectureSpec, LayerSpec } from "./architecture.js";
import type { TrainConfig } from "./training-config.js";

export interface ModelEntry {
  /** Route and cache name: lower-case words joined by "-". */
  name: string;
  /** Short title for selectors and tables. */
  title: string;
  /** What this model changes, in one sentence, for the page. */
  change: string;
  /** The page that presents it. */
  page: "baseline-mlp" | "normalized-mlp" | "cnn";
  architecture: ArchitectureSpec;
  train: TrainConfig;
  /** Compute a t-SNE map of the last ReLU layer at build time. */
  tsne: boolean;
}

const SEED = 42;

/** The setup of the public MNIST-neuron notebooks: plain SGD, lr 0.01, batch 64, 20 epochs. */
const BASELINE_TRAINING: TrainConfig = { epochs: 20, batchSize: 64, learningRate: 0.01, optimizer: "sgd", seed: SEED };

const conv = (filters: number): LayerSpec => ({ type: "conv2d", filters, kernelSize: 3 });
const pool: LayerSpec = { type: "maxpool", size: 2 };
const dense = (units: number): LayerSpec => ({ type: "dense", units });
const relu: LayerSpec = { type: "relu" };
const layernorm: LayerSpec = { type: "layernorm" };
const dropout = (rate: number): LayerSpec => ({ type: "dropout", rate });

/** A 784-32-16-10 MLP variant: the baseline's seed and training unless the variant changes them. */
function mlpVariant(name: string, title: string, change: string, layers: LayerSpec[], train: Partial<TrainConfig> = {}): ModelEntry {
  return { name, title, change, page: "normalized-mlp", architecture: { layers, seed: SEED }, train: { ...BASELINE_TRAINING, ...train }, tsne: true };
}

/** Coefficients of the activation-L1 sweep (penalty = coefficient × mean over the batch of Σ|a| over relu_1 and relu_2). */
export const ACTIVATION_L1_COEFFICIENTS = [1e-4, 1e-3, 1e-2];

/**
 * The CNN: conv 8@3×3 → ReLU → max-pool 2 → conv 16@3×3 → ReLU → max-pool 2 → dense 32 → ReLU →
 * logits, on the flat pixels reshaped to 28×28×1 (valid padding, stride 1). Its dense 32 layer
 * makes its neurons comparable with the MLPs'. Adam (lr 0.001) rather than the MLPs' plain SGD:
 * Adam passes 98.5% test accuracy within a few epochs, where SGD at lr 0.01 needs several times
 * as many, and epochs are the expensive part of this model's training.
 */
export const CNN: ModelEntry = {
  name: "cnn",
  title: "CNN",
  change: "two conv layers (8 and 16 filters of 3×3, each followed by ReLU and 2×2 max-pooling) before a dense 32 layer",
  page: "cnn",
  architecture: {
    layers: [{ type: "reshape", shape: [28, 28, 1] }, conv(8), relu, pool, conv(16), relu, pool, { type: "flatten" }, dense(32), relu],
    seed: SEED,
  },
  train: { epochs: 8, batchSize: 64, learningRate: 0.001, optimizer: "adam", seed: SEED },
  tsne: true,
};

/** Every model, the longest to train first (the build trains several at once, in this order). */
export const MODELS: readonly ModelEntry[] = [
  CNN,
  {
    name: "baseline-mlp",
    title: "Baseline",
    change: "none: pixels in [0, 1], ReLU, plain SGD",
    page: "baseline-mlp",
    architecture: { layers: [dense(32), relu, dense(16), relu], seed: SEED },
    train: BASELINE_TRAINING,
    tsne: true,
  },
  mlpVariant("standardized-mlp", "Standardized input", "the input is standardized with the training set's pixel mean and standard deviation", [
    { type: "standardize" },
    dense(32),
    relu,
    dense(16),
    relu,
  ]),
  mlpVariant("layernorm-after-relu", "LayerNorm after ReLU", "LayerNorm after each ReLU", [dense(32), relu, layernorm, dense(16), relu, layernorm]),
  mlpVariant("layernorm-before-relu", "LayerNorm before ReLU", "LayerNorm between each dense layer and its ReLU", [
    dense(32),
    layernorm,
    relu,
    dense(16),
    layernorm,
    relu,
  ]),
  mlpVariant(
    "best-notebook-mlp",
    "ReLU→LN→dropout, LN→ReLU",
    "layer 1: ReLU → LayerNorm → dropout 0.2; layer 2: LayerNorm → ReLU (the seed notebooks' best configuration)",
    [dense(32), relu, layernorm, dropout(0.2), dense(16), layernorm, relu],
  ),
  mlpVariant("dropout-mlp", "Dropout 0.2", "dropout 0.2 after each ReLU", [dense(32), relu, dropout(0.2), dense(16), relu, dropout(0.2)]),
  ...ACTIVATION_L1_COEFFICIENTS.map((coefficient) =>
    mlpVariant(
      `activation-l1-${String(coefficient).replace(/[.-]/g, "_")}`,
      `Activation L1 ${coefficient}`,
      `an L1 penalty of ${coefficient} × Σ|activation| on relu_1 and relu_2`,
      [dense(32), relu, dense(16), relu],
      { penalties: [{ kind: "activation-l1", layers: ["relu_1", "relu_2"], coefficient }] },
    ),
  ),
  mlpVariant(
    "garbage-pixel-l1",
    "Garbage-pixel L1",
    "an L1 penalty of 0.001 × Σ|w| on first-layer weights from pixels blank in at least 99% of training images",
    [dense(32), relu, dense(16), relu],
    { penalties: [{ kind: "weight-l1", layer: "dense_1", coefficient: 1e-3, inputs: "blank-pixels", blankFraction: 0.99 }] },
  ),
];

/** The entry named `name`, with an error that lists the names there are. */
export function modelEntry(name: string): ModelEntry {
  const entry = MODELS.find((m) => m.name === name);
  if (!entry) throw new Error(`unknown model ${JSON.stringify(name)}; the registry has ${MODELS.map((m) => m.name).join(", ")}`);
  return entry;
}

export function modelsOnPage(page: ModelEntry["page"]): ModelEntry[] {
  return MODELS.filter((m) => m.page === page);
}
