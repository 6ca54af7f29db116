// How a model is trained, as plain JSON: it is part of the model registry and hashed into the
// artifact cache key, so any change retrains. The trainer is data-loaders/training/train.ts.

export type PenaltySpec =
  /** coefficient × mean over the batch of the sum over units of |activation|, summed over `layers`. */
  | { kind: "activation-l1"; layers: string[]; coefficient: number }
  /**
   * coefficient × sum of |kernel| over the rows of dense `layer` fed by blank pixels: those that
   * are 0 in at least `blankFraction` of the training images (e.g. 0.99).
   */
  | { kind: "weight-l1"; layer: string; coefficient: number; inputs: "blank-pixels"; blankFraction: number };

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: "sgd" | "adam";
  /**
   * Seeds the per-epoch shuffle (mulberry32(seed + epoch)) and the dropout masks (a fresh one every
   * batch, see dropout-seeds.ts); weight init is seeded by the model.
   */
  seed: number;
  /** Extra loss terms; the loss minimized is cross-entropy + their sum. */
  penalties?: PenaltySpec[];
}
