// Which input pixels a class score depends on, for one image, by four methods that work on any
// model of the registry: Grad-CAM (where the model has a conv layer), occlusion sensitivity and a
// KernelSHAP estimate over square pixel patches. (Saliency and gradient × input: gradients.ts.)
import { Matrix, solve } from "ml-matrix";
import type { TF, Tensor } from "../tf-types.js";
import { checkPositiveInteger, describeValue } from "../validate-input.js";
import { mulberry32 } from "../random.js";
import { activationInfo, classCount, inputSize, LOGITS, type Network } from "./network.js";
import { forwardFrom, forwardTo, uploadNetwork } from "./tensor-network.js";

type Tensor4D = import("@tensorflow/tfjs").Tensor4D;

function checkClass(network: Network, classIndex: number, what: string): void {
  const classes = classCount(network);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes)
    throw new Error(`${what}: class must be 0..${classes - 1}, found ${describeValue(classIndex)}`);
}

function checkImage(network: Network, image: Float32Array, what: string): void {
  if (!(image instanceof Float32Array) || image.length !== inputSize(network))
    throw new Error(`${what}: image must be a Float32Array of ${inputSize(network)} pixels`);
}

/** The side of a square input image (28 for MNIST), or an error for a non-square input. */
export function imageSide(network: Network): number {
  const side = Math.round(Math.sqrt(inputSize(network)));
  if (side * side !== inputSize(network)) throw new Error(`the input (${inputSize(network)} values) is not a square image`);
  return side;
}

/** The logit of `classIndex` for every row of a [rows, inputSize] batch. */
async function classLogits(tf: TF, network: Network, inputs: Float32Array, rows: number, classIndex: number): Promise<Float32Array> {
  const model = uploadNetwork(tf, network);
  try {
    const scores = tf.tidy(() =>
      tf.reshape(tf.slice(forwardTo(tf, model, tf.tensor2d(inputs, [rows, inputSize(network)]), LOGITS), [0, classIndex], [-1, 1]), [-1]),
    );
    try {
      return Float32Array.from(await scores.data());
    } finally {
      scores.dispose();
    }
  } finally {
    model.dispose();
  }
}

export interface GradCam {
  layer: string;
  /** ReLU(Σ_k α_k A_k) on the layer's grid, height × width. */
  map: Float32Array;
  height: number;
  width: number;
  /** The same map resized (bilinear) to the input image. */
  upsampled: Float32Array;
}

/**
 * Grad-CAM (Selvaraju et al.): with A the activation of a conv layer and y the class logit,
 * α_k = mean over positions of ∂y/∂A_k and the map is ReLU(Σ_k α_k A_k).
 */
export async function gradCam(tf: TF, network: Network, image: Float32Array, classIndex: number, layer: string): Promise<GradCam> {
  const what = "gradCam";
  checkImage(network, image, what);
  checkClass(network, classIndex, what);
  const info = activationInfo(network, layer);
  if (info.shape.length !== 3) throw new Error(`${what}: Grad-CAM needs a convolutional (spatial) layer; ${layer} has shape [${info.shape.join(", ")}]`);
  const [height, width] = info.shape;
  const side = imageSide(network);
  const model = uploadNetwork(tf, network);
  try {
    const [map, upsampled] = tf.tidy(() => {
      const activation = forwardTo(tf, model, tf.tensor2d(image, [1, image.length]), layer);
      const gradient = tf.grad((a: Tensor) => tf.sum(tf.slice(forwardFrom(tf, model, layer, a), [0, classIndex], [1, 1])))(activation);
      const alpha = tf.mean(gradient, [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(activation, alpha), 3, true)) as Tensor4D;
      return [tf.reshape(cam, [-1]), tf.reshape(tf.image.resizeBilinear(cam, [side, side], true), [-1])];
    });
    try {
      return { layer, map: Float32Array.from(await map.data()), height, width, upsampled: Float32Array.from(await upsampled.data()) };
    } finally {
      tf.dispose([map, upsampled]);
    }
  } finally {
    model.dispose();
  }
}

/** Square patches tiling a side × side image, `patch` pixels on a side (the last row/column may be smaller). */
export function patchGrid(side: number, patch: number): { rows: number; cols: number; patchOf: Int32Array } {
  checkPositiveInteger(patch, "patch size");
  const cols = Math.ceil(side / patch);
  const patchOf = new Int32Array(side * side);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) patchOf[r * side + c] = Math.floor(r / patch) * cols + Math.floor(c / patch);
  return { rows: cols, cols, patchOf };
}

export interface OcclusionMap {
  patch: number;
  stride: number;
  /** The class logit of the intact image. */
  logit: number;
  /** Per pixel: mean drop of the class logit over the occluded windows covering that pixel. */
  map: Float32Array;
}

/**
 * Occlusion sensitivity (Zeiler and Fergus): slide a patch × patch window of `fill` over the image
 * with the given stride, and record how much the class logit drops with each window occluded.
 */
export async function occlusion(
  tf: TF,
  network: Network,
  image: Float32Array,
  classIndex: number,
  options: { patch?: number; stride?: number; fill?: number } = {},
): Promise<OcclusionMap> {
  const what = "occlusion";
  checkImage(network, image, what);
  checkClass(network, classIndex, what);
  const side = imageSide(network);
  const patch = checkPositiveInteger(options.patch ?? 4, `${what}: patch`);
  const stride = checkPositiveInteger(options.stride ?? 2, `${what}: stride`);
  if (patch > side) throw new Error(`${what}: patch (${patch}) must be at most the image side (${side})`);
  const fill = options.fill ?? 0;
  const starts: number[] = [];
  for (let s = 0; s + patch <= side; s += stride) starts.push(s);
  if (starts[starts.length - 1] + patch < side) starts.push(side - patch);
  const windows = starts.flatMap((top) => starts.map((left) => [top, left]));
  const batch = new Float32Array((windows.length + 1) * image.length);
  batch.set(image, 0);
  windows.forEach(([top, left], w) => {
    const offset = (w + 1) * image.length;
    batch.set(image, offset);
    for (let r = top; r < top + patch; r++) for (let c = left; c < left + patch; c++) batch[offset + r * side + c] = fill;
  });
  const logits = await classLogits(tf, network, batch, windows.length + 1, classIndex);
  const drop = new Float64Array(image.length);
  const covered = new Float64Array(image.length);
  windows.forEach(([top, left], w) => {
    for (let r = top; r < top + patch; r++) {
      for (let c = left; c < left + patch; c++) {
        drop[r * side + c] += logits[0] - logits[w + 1];
        covered[r * side + c]++;
      }
    }
  });
  return { patch, stride, logit: logits[0], map: Float32Array.from(drop, (d, i) => (covered[i] > 0 ? d / covered[i] : 0)) };
}

export interface ShapMap {
  patch: number;
  samples: number;
  /** One value per patch (row-major over the patch grid): its contribution to the class logit. */
  values: Float64Array;
  /** The same values painted on every pixel of their patch. */
  map: Float32Array;
  /** f(image) and f(baseline): the values sum to their difference. */
  full: number;
  empty: number;
}

/**
 * KernelSHAP (Lundberg and Lee) over square pixel patches: each patch is a player, present (the
 * image's pixels) or absent (the baseline value). `samples` random coalitions, drawn with the
 * Shapley kernel's distribution over coalition sizes, are evaluated in one batch; the values are
 * the weighted least-squares fit of the class logit under the constraint that they sum to
 * f(image) − f(baseline). With as many samples as there are coalitions, the exact Shapley values
 * of the patch game are recovered for a model linear in its input.
 */
export async function kernelShap(
  tf: TF,
  network: Network,
  image: Float32Array,
  classIndex: number,
  options: { patch?: number; samples?: number; baseline?: number; seed?: number } = {},
): Promise<ShapMap> {
  const what = "kernelShap";
  checkImage(network, image, what);
  checkClass(network, classIndex, what);
  const side = imageSide(network);
  const patch = checkPositiveInteger(options.patch ?? 4, `${what}: patch`);
  const samples = checkPositiveInteger(options.samples ?? 1000, `${what}: samples`);
  const { rows, cols, patchOf } = patchGrid(side, patch);
  const players = rows * cols;
  if (players < 2) throw new Error(`${what}: the patch (${patch}) must split the image into at least 2 patches`);
  const random = mulberry32(options.seed ?? 0);
  // Coalition sizes 1..M-1 drawn with probability ∝ (M-1) / (s (M-s)): the Shapley kernel summed over each size.
  const sizeWeights = Array.from({ length: players - 1 }, (_, i) => (players - 1) / ((i + 1) * (players - i - 1)));
  const totalWeight = sizeWeights.reduce((a, b) => a + b, 0);
  const coalitions: Uint8Array[] = [];
  for (let n = 0; n < samples; n++) {
    let u = random() * totalWeight;
    let size = 1;
    while (size < players - 1 && u >= sizeWeights[size - 1]) u -= sizeWeights[size++ - 1];
    const order = Array.from({ length: players }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(random() * (players - i));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const z = new Uint8Array(players);
    for (let i = 0; i < size; i++) z[order[i]] = 1;
    coalitions.push(z);
  }
  const baseline = options.baseline ?? 0;
  const batch = new Float32Array((samples + 2) * image.length);
  batch.set(image, 0);
  batch.fill(baseline, image.length, 2 * image.length);
  coalitions.forEach((z, n) => {
    const offset = (n + 2) * image.length;
    for (let p = 0; p < image.length; p++) batch[offset + p] = z[patchOf[p]] ? image[p] : baseline;
  });
  const logits = await classLogits(tf, network, batch, samples + 2, classIndex);
  const [full, empty] = [logits[0], logits[1]];
  // Sampling by the kernel makes every sampled coalition weigh the same in the fit. Eliminate the
  // last player with the sum constraint: φ_M = (full − empty) − Σ_{i<M} φ_i.
  const m = players - 1;
  const xtx = new Matrix(m, m);
  const xty = new Matrix(m, 1);
  coalitions.forEach((z, n) => {
    const y = logits[n + 2] - empty - z[m] * (full - empty);
    const x = Array.from({ length: m }, (_, i) => z[i] - z[m]);
    for (let i = 0; i < m; i++) {
      xty.set(i, 0, xty.get(i, 0) + x[i] * y);
      for (let j = 0; j < m; j++) xtx.set(i, j, xtx.get(i, j) + x[i] * x[j]);
    }
  });
  // A tiny ridge keeps the system solvable when some patch never varies among the samples.
  for (let i = 0; i < m; i++) xtx.set(i, i, xtx.get(i, i) + 1e-9);
  const phi = solve(xtx, xty).to1DArray();
  const values = Float64Array.from([...phi, full - empty - phi.reduce((a, b) => a + b, 0)]);
  return { patch, samples, values, map: Float32Array.from(patchOf, (p) => values[p]), full, empty };
}
