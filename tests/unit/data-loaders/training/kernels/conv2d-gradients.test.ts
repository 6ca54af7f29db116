import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Scalar, SymbolicTensor, Tensor, Tensor1D, Tensor4D } from "@tensorflow/tfjs";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import { mulberry32 } from "../../../../../src/lib/random.js";
import { assertMatchesCpu, randomValues, sizeOf, tf } from "./compare-backends.js";

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number;

interface ConvCase {
  label: string;
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

/** The conv's output and the gradients of sum(output * fixed weights) w.r.t. x and the filter. */
function convAndGradients({ x, filter, strides, pad }: ConvCase): Tensor[] {
  const input = tf.tensor4d(randomValues(sizeOf(x), 1), x);
  const kernel = tf.tensor4d(randomValues(sizeOf(filter), 2), filter);
  const conv = (xi: Tensor, wi: Tensor) => tf.conv2d(xi as Tensor4D, wi as Tensor4D, strides, pad);
  const output = conv(input, kernel);
  // Distinct weights per output, so that every output's gradient path is checked.
  const weights = tf.tensor(randomValues(output.size, 3), output.shape);
  const [dx, dw] = tf.grads((xi: Tensor, wi: Tensor) => tf.sum(tf.mul(conv(xi, wi), weights)))([input, kernel]);
  return [output, dx, dw];
}

/** The same through tf.fused.conv2d with a bias, which is what tfjs-layers' Conv2D runs. */
function fusedConvAndGradients({ x, filter, strides, pad }: ConvCase): Tensor[] {
  const input = tf.tensor4d(randomValues(sizeOf(x), 4), x);
  const kernel = tf.tensor4d(randomValues(sizeOf(filter), 5), filter);
  const bias = tf.tensor1d(randomValues(filter[3], 6));
  const conv = (xi: Tensor, wi: Tensor, bi: Tensor) =>
    tf.fused.conv2d({ x: xi as Tensor4D, filter: wi as Tensor4D, bias: bi as Tensor1D, strides, pad: pad as "same" | "valid" });
  const output = conv(input, kernel, bias);
  const weights = tf.tensor(randomValues(output.size, 7), output.shape);
  const gradients = tf.grads((xi: Tensor, wi: Tensor, bi: Tensor) => tf.sum(tf.mul(conv(xi, wi, bi), weights)))([input, kernel, bias]);
  return [output, ...gradients];
}

const fixedCases: ConvCase[] = [
  { label: "the CNN's first layer: 28x28x1 -> 8, 3x3 valid", x: [4, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: "valid" },
  { label: "the CNN's second layer: 13x13x8 -> 16, 3x3 valid", x: [4, 13, 13, 8], filter: [3, 3, 8, 16], strides: 1, pad: "valid" },
  { label: "odd sizes: 7x5 input, 3 channels, 5 filters, valid", x: [2, 7, 5, 3], filter: [3, 3, 3, 5], strides: 1, pad: "valid" },
  { label: "odd sizes: 7x5 input, 3 channels, 5 filters, same", x: [2, 7, 5, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same" },
  { label: "batch 1, valid", x: [1, 7, 5, 3], filter: [3, 3, 3, 5], strides: 1, pad: "valid" },
  { label: "batch 1, same", x: [1, 7, 5, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same" },
  { label: "stride 2, same (uneven padding)", x: [2, 8, 7, 2], filter: [3, 3, 2, 5], strides: 2, pad: "same" },
  { label: "2x4 filter, stride 2, valid", x: [1, 9, 9, 1], filter: [2, 4, 1, 3], strides: 2, pad: "valid" },
  { label: "5x5 same, one channel in, 8 out", x: [3, 12, 12, 1], filter: [5, 5, 1, 8], strides: 1, pad: "same" },
  // Square filter and stride: with a numeric pad, tfjs 4.22 sizes the output from the filter's
  // height and the stride's height alone, and its own wasm Conv2D then writes past its buffer.
  { label: "explicit padding 1, stride 2", x: [2, 6, 7, 4], filter: [3, 3, 4, 6], strides: 2, pad: 1 },
  { label: "1x1 filter", x: [2, 5, 5, 3], filter: [1, 1, 3, 2], strides: 1, pad: "valid" },
];

/** Seeded random geometries: any sizes from 1 up, strides 1-3, both paddings. */
function randomCases(count: number, seed: number): ConvCase[] {
  const random = mulberry32(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  return Array.from({ length: count }, (_, i) => {
    const kh = between(1, 4);
    const kw = between(1, 4);
    const x: Shape4 = [between(1, 3), between(kh, 10), between(kw, 10), between(1, 9)];
    const filter: Shape4 = [kh, kw, x[3], between(1, 9)];
    const strides: [number, number] = [between(1, 3), between(1, 3)];
    const pad = random() < 0.5 ? "same" : "valid";
    return {
      label: `random case ${i + 1}: x [${x.join(", ")}], filter [${filter.join(", ")}], strides [${strides.join(", ")}], ${pad}`,
      x,
      filter,
      strides,
      pad,
    };
  });
}

describe("wasm conv2d gradients", () => {
  test("our kernels are the ones registered", () => {
    for (const name of ["Conv2DBackpropFilter", "Conv2DBackpropInput"]) {
      assert.equal((tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true, name);
    }
  });

  for (const convCase of [...fixedCases, ...randomCases(12, 2024)]) {
    test(`output, input and filter gradients match the cpu backend: ${convCase.label}`, async () => {
      await assertMatchesCpu(convCase.label, () => convAndGradients(convCase));
    });
  }

  for (const convCase of fixedCases.filter((c) => typeof c.pad === "string")) {
    test(`fused conv with bias (as tfjs-layers runs it) matches the cpu backend: ${convCase.label}`, async () => {
      await assertMatchesCpu(convCase.label, () => fusedConvAndGradients(convCase));
    });
  }

  test("a filterShape that does not fit the input is an error naming it, not a heap overwrite", async () => {
    await tf.setBackend("wasm");
    tf.tidy(() => {
      const x = tf.zeros([1, 5, 5, 2]);
      const dy = tf.zeros([1, 3, 3, 4]);
      assert.throws(
        () => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 3, 4] }),
        /Conv2DBackpropFilter \(wasm\): filterShape \[3, 3, 3, 4\] does not fit x's 2 channels/,
      );
      assert.throws(
        () =>
          tf
            .engine()
            .runKernel("Conv2DBackpropFilter", { x, dy: tf.zeros([1, 3, 2, 4]) }, { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 2, 4] }),
        /Conv2DBackpropFilter \(wasm\): dy has shape \[1, 3, 2, 4\], expected \[1, 3, 3, 4\]/,
      );
    });
  });

  test("a Conv2D layer trains on wasm without leaking tensors", async () => {
    await tf.setBackend("wasm");
    const input = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const flat = tf.layers.flatten().apply(conv.apply(input)) as SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(flat) as SymbolicTensor });
    const x = tf.tensor4d(randomValues(4 * 36, 5), [4, 6, 6, 1]);
    const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const kernelBefore = conv.getWeights()[0].dataSync().slice();
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as Tensor) as Scalar, true);
      losses.push(loss!.dataSync()[0]);
      loss!.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    assert.ok(losses[4] < losses[0], `loss did not fall: ${losses.join(", ")}`);
    assert.notDeepEqual(conv.getWeights()[0].dataSync(), kernelBefore);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
