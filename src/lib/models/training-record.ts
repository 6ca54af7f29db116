// What the build records about training one model (history.json), read by every page.

export interface EpochMetrics {
  /** 0 = the untrained model, 1..epochs = after that epoch. */
  epoch: number;
  /**
   * Cross-entropy (penalties excluded). Epochs 1..E: mean over that epoch's batches (each batch's
   * mean), measured while training. Epoch 0: the untrained model evaluated on the first 10,000
   * training images.
   */
  trainLoss: number;
  /** Same sources as trainLoss; a fraction in [0, 1]. */
  trainAccuracy: number;
  /**
   * Only with penalties: their summed value, from the same sources as trainLoss (epoch 0 at
   * inference, so without dropout). The loss minimized is trainLoss + trainPenalty.
   */
  trainPenalty?: number;
  /** Mean loss over the whole test split, evaluated after the epoch (training flag off). */
  testLoss: number;
  testAccuracy: number;
  /** Training throughput of the epoch's batch loop (0 for epoch 0). */
  imagesPerSecond: number;
  /** Wall time of the epoch including its test evaluation (0 for epoch 0). */
  seconds: number;
}

export interface TrainingRecord {
  /** The model's registry name, e.g. "baseline-mlp". */
  name: string;
  /** The tfjs model's own name, e.g. "mlp_784_32_16_10". */
  modelName: string;
  /** The registry entry the model was trained from (architecture and training setup, as JSON). */
  entry: Record<string, unknown>;
  /** Mean and std of the training pixels in [0, 1], when the model standardizes its input. */
  inputStats?: { mean: number; std: number };
  /** Pixels the garbage-pixel penalty acts on, when the model has one. */
  penalizedPixels?: number;
  /** The tfjs backend training ran on. */
  backend: string;
  /** How the steps ran: "the fused wasm step" (data-loaders/training/fused-stack.ts) or "tfjs <backend>". */
  trainedBy?: string;
  dataset: { name: string; checksum: string; classNames: string[]; trainCount: number; testCount: number };
  history: EpochMetrics[];
}
