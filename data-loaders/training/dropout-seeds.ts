// Fresh, reproducible dropout masks for training. tfjs's Dropout draws its mask with
// randomUniform(shape, seed), which re-creates its generator from the seed on every call: a layer
// built with a seed drops the same units in every batch, and one built without uses Math.random,
// which nothing can replay. So before every step the trainer sets each Dropout layer's seed to one
// derived from (training seed, epoch, batch, layer), and restores the original seeds afterwards:
// the model stays a standard tfjs Dropout (identity at inference) that tf.loadLayersModel reads.
import { deriveSeed } from "../../src/lib/random.js";
import type { LayersModel } from "../../src/lib/tf-types.js";

/** Dropout's seed is a private field that call() reads on every call (tests pin this down). */
interface SeededLayer {
  seed?: number;
}

export interface DropoutSeeder {
  /** Seeds every Dropout layer for this step; batch is 0-based. */
  forStep(epoch: number, batch: number): void;
  /** Puts back the seeds the layers had before, so the saved config does not depend on training. */
  restore(): void;
}

export function dropoutSeeder(model: LayersModel, seed: number): DropoutSeeder {
  const fields = model.layers.filter((layer) => layer.getClassName() === "Dropout").map((layer) => layer as unknown as SeededLayer);
  const original = fields.map((field) => field.seed);
  return {
    forStep(epoch, batch) {
      fields.forEach((field, i) => {
        field.seed = deriveSeed(seed, epoch, batch, i);
      });
    },
    restore() {
      fields.forEach((field, i) => {
        field.seed = original[i];
      });
    },
  };
}
