// Small labelled data sets with known answers for the probe tests.
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";

/** Three well-separated Gaussian blobs in 2-D, `perClass` rows each. */
export function blobs(perClass: number, seed: number, spread = 0.3): { x: ActivationMatrix; labels: Uint8Array } {
  const centres = [
    [0, 0],
    [4, 0],
    [0, 4],
  ];
  const random = mulberry32(seed);
  const data = new Float32Array(3 * perClass * 2);
  const labels = new Uint8Array(3 * perClass);
  for (let i = 0; i < 3 * perClass; i++) {
    const k = i % 3;
    labels[i] = k;
    data[2 * i] = centres[k][0] + spread * gaussian(random);
    data[2 * i + 1] = centres[k][1] + spread * gaussian(random);
  }
  return { x: { rows: 3 * perClass, cols: 2, data }, labels };
}
