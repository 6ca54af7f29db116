// The baseline the other pages are compared with: the setup of the public MNIST-neuron notebooks
// this site reproduces (784-32-16-10 ReLU MLP, plain SGD, lr 0.01, batch 64, 20 epochs, pixels in
// [0, 1] and nothing else). They report about 94.8% test accuracy.
import type { MlpDefinition } from "./trained-mlp.js";

export const BASELINE_MLP: MlpDefinition = {
  kind: "baseline-mlp",
  model: { hidden: [32, 16], seed: 42 },
  train: { epochs: 20, batchSize: 64, learningRate: 0.01, optimizer: "sgd", seed: 42 },
};
