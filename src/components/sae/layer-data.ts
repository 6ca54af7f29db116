// The activations an SAE page works on, recorded in the browser exactly as the build's sweep
// recorded them (data-loaders/sae/layer-activations.ts): the evaluation rows (every test image
// for a dense layer; every position of the sweep's evaluation images for a conv layer) and rows
// to train a live SAE on (the training sample the page loads; for a conv layer, a seeded sample of
// its positions). Per-image values come from the rows: a conv map's largest value over positions.
import type { TF } from "../../lib/tf-types.js";
import type { ActivationMatrix } from "../../lib/analysis/types.js";
import type { ImageSet } from "../../lib/dataset-files.js";
import type { SweepFile } from "../../lib/sae/sweep-file.js";
import { recordActivations } from "../../lib/network/forward.js";
import { activationInfo, type Network } from "../../lib/network/network.js";
import { uploadNetwork } from "../../lib/network/tensor-network.js";
import { mulberry32, sampleIndices } from "../../lib/random.js";

export interface LayerData {
  layer: string;
  spatial: boolean;
  /** Positions per image: 1 for a dense layer. */
  positions: number;
  /** The map's [height, width] for a conv layer. */
  map: [number, number] | null;
  /** Evaluation rows: images × positions (image-major), layer width columns. */
  evaluation: ActivationMatrix;
  /** The test image of each evaluation image block, in order. */
  evaluationImages: Int32Array;
  /** Rows to train a live SAE on. */
  train: ActivationMatrix;
  trainHow: string;
}

/** Live training rows of a conv layer: a seeded sample of this many positions of the training sample. */
const LIVE_TRAIN_POSITIONS = 50_000;

async function rowsOf(
  tf: TF,
  network: Network,
  layer: string,
  images: Uint8Array,
  count: number,
  pause: () => Promise<void>,
  batchSize: number,
): Promise<Float32Array> {
  const model = uploadNetwork(tf, network);
  try {
    return (await recordActivations(tf, model, images, count, { names: [layer], betweenBatches: pause, batchSize }))[layer].data;
  } finally {
    model.dispose();
  }
}

function pickImages(set: ImageSet, rows: ArrayLike<number>): Uint8Array {
  const pixels = set.rows * set.cols;
  const out = new Uint8Array(rows.length * pixels);
  for (let i = 0; i < rows.length; i++) out.set(set.images.subarray(rows[i] * pixels, (rows[i] + 1) * pixels), i * pixels);
  return out;
}

export async function layerData(
  tf: TF,
  network: Network,
  sweep: SweepFile,
  testSet: ImageSet,
  trainSample: ImageSet,
  options: { pause: () => Promise<void>; batchSize: number },
): Promise<LayerData> {
  const info = activationInfo(network, sweep.layer);
  const units = info.units;
  const spatial = info.shape.length === 3;
  const positions = spatial ? info.shape[0] * info.shape[1] : 1;
  const evaluationImages = sweep.evaluationImages ?? Int32Array.from({ length: testSet.count }, (_, i) => i);
  const evaluation = await rowsOf(tf, network, sweep.layer, pickImages(testSet, evaluationImages), evaluationImages.length, options.pause, options.batchSize);
  let train = await rowsOf(tf, network, sweep.layer, trainSample.images, trainSample.count, options.pause, options.batchSize);
  let trainHow = `the ${trainSample.count.toLocaleString("en-US")} training images the page loads`;
  if (spatial) {
    const picked = sampleIndices(trainSample.count * positions, Math.min(LIVE_TRAIN_POSITIONS, trainSample.count * positions), mulberry32(11));
    const sampled = new Float32Array(picked.length * units);
    picked.forEach((row, i) => sampled.set(train.subarray(row * units, (row + 1) * units), i * units));
    train = sampled;
    trainHow = `${picked.length.toLocaleString("en-US")} seeded positions of the maps of ${trainHow}`;
  }
  return {
    layer: sweep.layer,
    spatial,
    positions,
    map: spatial ? [info.shape[0], info.shape[1]] : null,
    evaluation: { rows: evaluation.length / units, cols: units, data: evaluation },
    evaluationImages,
    train: { rows: train.length / units, cols: units, data: train },
    trainHow,
  };
}

/** Per image (row block): the largest magnitude of each column over its positions (the rows themselves for a dense layer). */
export function perImage(m: ActivationMatrix, positions: number): ActivationMatrix {
  if (positions === 1) return m;
  const images = m.rows / positions;
  const data = new Float32Array(images * m.cols);
  for (let i = 0; i < images; i++) {
    for (let p = 0; p < positions; p++) {
      const row = (i * positions + p) * m.cols;
      for (let c = 0; c < m.cols; c++) {
        const v = Math.abs(m.data[row + c]);
        if (v > data[i * m.cols + c]) data[i * m.cols + c] = v;
      }
    }
  }
  return { rows: images, cols: m.cols, data };
}
