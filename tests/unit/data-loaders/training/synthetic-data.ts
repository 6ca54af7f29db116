// Tiny, seeded, linearly separable "digit" data for training tests: class c lights up the c-th
// band of pixels (values 180..255) over low noise (0..59) everywhere else.
import { mulberry32 } from "../../../../src/lib/random.js";
import type { ClassifierData } from "../../../../data-loaders/training/train.js";

export function syntheticSplit(count: number, seed: number, pixels = 784, classes = 10): { images: Uint8Array; labels: Uint8Array } {
  const random = mulberry32(seed);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  const band = Math.floor(pixels / classes);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(random() * classes);
    labels[i] = label;
    for (let p = 0; p < pixels; p++) {
      const lit = Math.floor(p / band) === label;
      images[i * pixels + p] = lit ? 180 + Math.floor(random() * 76) : Math.floor(random() * 60);
    }
  }
  return { images, labels };
}

export function syntheticData(trainCount: number, testCount: number, seed: number, pixels = 784, classes = 10): ClassifierData {
  const train = syntheticSplit(trainCount, seed, pixels, classes);
  const test = syntheticSplit(testCount, seed + 1000, pixels, classes);
  return {
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
    classes,
    inputShape: [pixels],
  };
}
