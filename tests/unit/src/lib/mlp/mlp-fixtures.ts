// Small hand-made and seeded random MLPs, and a plain float64 forward pass to check tfjs against.
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import type { DenseWeights, MlpWeights } from "../../../../../src/lib/mlp/weights.js";

export function dense(name: string, inputSize: number, units: number, kernel: number[], bias: number[]): DenseWeights {
  return { name, inputSize, units, kernel: Float32Array.from(kernel), bias: Float32Array.from(bias) };
}

/** sizes = [input, hidden..., classes]; He-scaled Gaussian kernels and small random biases. */
export function randomMlp(sizes: number[], seed: number): MlpWeights {
  const random = mulberry32(seed);
  const layers = sizes.slice(1).map((units, i) => {
    const inputSize = sizes[i];
    const name = i === sizes.length - 2 ? "logits" : `dense_${i + 1}`;
    const std = Math.sqrt(2 / inputSize);
    const kernel = Float32Array.from({ length: inputSize * units }, () => gaussian(random) * std);
    const bias = Float32Array.from({ length: units }, () => (random() - 0.5) * 0.2);
    return { name, inputSize, units, kernel, bias };
  });
  return { layers };
}

export function randomPixels(count: number, inputSize: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: count * inputSize }, () => Math.floor(random() * 256));
}

export function randomFloats(length: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => random());
}

/** One example through the network in float64; `scaleUnits` multiplies one relu layer's units. */
export function referenceForward(
  weights: MlpWeights,
  input: ArrayLike<number>,
  scaleUnits?: { layer: string; units: number[]; scale: number },
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  let x = Float64Array.from(input);
  weights.layers.forEach((layer, index) => {
    const pre = new Float64Array(layer.units);
    for (let j = 0; j < layer.units; j++) {
      let sum = layer.bias[j];
      for (let i = 0; i < layer.inputSize; i++) sum += x[i] * layer.kernel[i * layer.units + j];
      pre[j] = sum;
    }
    if (index === weights.layers.length - 1) {
      out.logits = pre;
      return;
    }
    const post = pre.map((v) => Math.max(0, v));
    if (scaleUnits?.layer === `relu_${index + 1}`) for (const unit of scaleUnits.units) post[unit] *= scaleUnits.scale;
    out[`dense_${index + 1}`] = pre;
    out[`relu_${index + 1}`] = post;
    x = post;
  });
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Gap between the largest and second largest value: small gaps make float argmax fragile. */
export function topTwoMargin(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => b - a);
  return sorted[0] - sorted[1];
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * scale)) {
      throw new Error(`${what}: value ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}
