// The fused steps' elementwise kernels (assembly/elementwise.ts) on small cases worked by hand,
// and against float64 formulas on random data.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { kernelModule } from "../../../../../data-loaders/training/kernels/build-kernels.js";
import { mulberry32 } from "../../../../../src/lib/random.js";
import { KernelWorkspace, type WasmBuffer } from "../../../../../src/lib/wasm/workspace.js";

let ws: KernelWorkspace;
const buffer = (values: number[] | Float32Array) => ws.copyOf(values);
const values = (b: WasmBuffer) => Array.from(b.data);

describe("elementwise training kernels", () => {
  before(async () => {
    ws = new KernelWorkspace(await kernelModule());
  });

  test("reluWithGate: codes, gates and their sum, including the scalar tail", () => {
    const pre = buffer([-1, 0, 2, -0, 3, 0.5]);
    const [codes, gate] = [ws.buffer(6), ws.buffer(6)];
    assert.equal(ws.kernels.reluWithGate(pre.offset, codes.offset, gate.offset, 6), 5.5);
    assert.deepEqual(
      values(codes).map((v) => v + 0),
      [0, 0, 2, 0, 3, 0.5],
    );
    assert.deepEqual(values(gate), [0, 0, 1, 0, 1, 1]);
  });

  // Below e^-88 the kernel's e^x stops at a normal float32, so σ(−100) comes out as 6.1e-39 where
  // float64 gives 3.7e-44: an absolute error below 1e-38 that no training step can notice.
  test("sigmoidWithGate: σ within 2 float32 ulps of float64 (or 2e-38) over [-100, 100], σ' = σ(1 − σ), fires where pre > 0", () => {
    const inputs = [-100, -20, -1, -0.25, 0, 0.25, 1, 20, 100, 87.5, -87.5, 3.3];
    const pre = buffer(inputs);
    const [codes, gate, fires] = [ws.buffer(12), ws.buffer(12), ws.buffer(4)];
    ws.kernels.sigmoidWithGate(pre.offset, codes.offset, gate.offset, fires.offset, 3, 4);
    inputs.forEach((x, i) => {
      const exact = 1 / (1 + Math.exp(-x));
      const code = codes.data[i];
      assert.ok(Math.abs(code - exact) <= Math.max(2 * 2 ** -24 * exact, 2e-38), `σ(${x}) = ${code}, expected ${exact}`);
      assert.equal(gate.data[i], Math.fround(code * Math.fround(1 - code)));
    });
    // Columns: (-100, 0, 100), (-20, 0.25, 87.5), (-1, 1, -87.5), (-0.25, 20, 3.3).
    assert.deepEqual(values(fires), [1, 2, 1, 2]);
  });

  test("keepTopKPerRow keeps every code tied with the k-th largest, never a zero, and counts fires", () => {
    const codes = buffer([5, 3, 3, 1, 0, 0, 0, 0, /* row 2 */ 0, 0, 0, 0, 0, 0, 0, 0, /* row 3 */ 1, 2, 3, 4, 5, 6, 7, 8]);
    const [gate, fires] = [ws.buffer(24), ws.buffer(8)];
    ws.kernels.keepTopKPerRow(codes.offset, gate.offset, fires.offset, 3, 8, 2, 1.1754943508222875e-38);
    assert.deepEqual(values(codes), [5, 3, 3, 0, 0, 0, 0, 0, ...new Array(8).fill(0), 0, 0, 0, 0, 0, 0, 7, 8]);
    assert.deepEqual(values(gate), [1, 1, 1, 0, 0, 0, 0, 0, ...new Array(8).fill(0), 0, 0, 0, 0, 0, 0, 1, 1]);
    assert.deepEqual(values(fires), [1, 1, 1, 0, 0, 0, 1, 1]);
  });

  test("kthLargest equals sorting, with repeats counted, and smallestPositive finds the least positive value", () => {
    const random = mulberry32(5);
    const data = Float32Array.from({ length: 1000 }, () => Math.round(random() * 50) / 7 - 2);
    const source = buffer(data);
    const scratch = ws.buffer(1000);
    const sorted = Array.from(data).sort((a, b) => b - a);
    for (const k of [1, 2, 37, 500, 999, 1000]) assert.equal(ws.kernels.kthLargest(source.offset, scratch.offset, 1000, k), sorted[k - 1], `k = ${k}`);
    assert.deepEqual(source.data, data, "the input is left alone");
    assert.equal(ws.kernels.smallestPositive(source.offset, 1000), Math.min(...sorted.filter((v) => v > 0)));
    assert.equal(ws.kernels.smallestPositive(buffer([0, -1, 0, 0]).offset, 4), Infinity);
  });

  test("scaledError returns Σ(x̂ − x)² and leaves (x̂ − x)·scale", () => {
    const [xhat, x] = [buffer([1, 2, 3]), buffer([0, 4, 3])];
    assert.equal(ws.kernels.scaledError(xhat.offset, x.offset, 3, 0.5), 1 + 4);
    assert.deepEqual(
      values(xhat).map((v) => v + 0),
      [0.5, -1, 0],
    );
  });

  test("gateGradient adds the column term and gates; addMasked adds where the mask is set", () => {
    const d = buffer([1, 2, 3, 4, 5, 6, 7, 8]);
    ws.kernels.gateGradient(d.offset, buffer([1, 0, 1, 1, 0, 1, 1, 0]).offset, buffer([10, 20, 30, 40]).offset, 2, 4);
    assert.deepEqual(values(d), [11, 0, 33, 44, 0, 26, 37, 0]);
    const dst = buffer([1, 1, 1, 1]);
    ws.kernels.addMasked(dst.offset, buffer([1, 2, 3, 4]).offset, buffer([0, 1, 0, 1]).offset, 4);
    assert.deepEqual(values(dst), [1, 3, 1, 5]);
  });

  test("adamStep matches the float64 formula to float32 rounding", () => {
    const random = mulberry32(9);
    const n = 37;
    const [theta0, m0, v0, g] = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, () => random() - 0.5));
    for (let i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
    const [theta, m, v] = [buffer(theta0), buffer(m0), buffer(v0)];
    const [beta1, beta2, stepSize, epsilonHat] = [0.9, 0.999, 0.01, 1e-8];
    ws.kernels.adamStep(theta.offset, m.offset, v.offset, buffer(g).offset, n, beta1, beta2, stepSize, epsilonHat);
    for (let i = 0; i < n; i++) {
      const mi = m0[i] + (g[i] - m0[i]) * (1 - beta1);
      const vi = v0[i] + (g[i] * g[i] - v0[i]) * (1 - beta2);
      const expected = theta0[i] - (mi / (Math.sqrt(vi) + epsilonHat)) * stepSize;
      assert.ok(Math.abs(m.data[i] - mi) <= 1e-7 && Math.abs(v.data[i] - vi) <= 1e-7, `moments at ${i}`);
      assert.ok(Math.abs(theta.data[i] - expected) <= 1e-6, `theta[${i}] = ${theta.data[i]}, expected ${expected}`);
    }
  });

  test("normalizeRows gives unit rows; removeRowComponents leaves each row's gradient orthogonal to it", () => {
    const w = buffer([3, 4, 0, 0, 0, 0, 0, 2]);
    ws.kernels.normalizeRows(w.offset, 2, 4);
    assert.deepEqual(values(w), [0.6, 0.8, 0, 0, 0, 0, 0, 1].map(Math.fround));
    const g = buffer([1, 1, 1, 0, 5, 5, 5, 5]);
    ws.kernels.removeRowComponents(g.offset, w.offset, 2, 4);
    // Row 1: g·w = 1.4, g − 1.4·w = (0.16, −0.12, 1, 0); row 2: g·w = 5, g − 5·w = (5, 5, 5, 0).
    values(g).forEach((value, i) => assert.ok(Math.abs(value - [0.16, -0.12, 1, 0, 5, 5, 5, 0][i]) < 1e-6, `g[${i}] = ${value}`));
  });

  test("subtractBias and scale", () => {
    const out = ws.buffer(4);
    ws.kernels.subtractBias(buffer([1, 2, 3, 4]).offset, buffer([1, 1]).offset, out.offset, 2, 2);
    assert.deepEqual(values(out), [0, 1, 2, 3]);
    ws.kernels.scale(out.offset, 4, 2);
    assert.deepEqual(values(out), [0, 2, 4, 6]);
    assert.equal(ws.kernels.sumOfSquares(out.offset, 4), 56);
  });
});

describe("softmaxCrossEntropy", () => {
  before(async () => {
    ws = new KernelWorkspace(await kernelModule());
  });

  test("loss and (p − onehot)·scale against float64, padding columns zero, an extreme logit exact", () => {
    const random = mulberry32(4);
    const [rows, classes, stride] = [5, 10, 12];
    const logits = Float32Array.from({ length: rows * stride }, () => (random() - 0.5) * 8);
    logits[3 * stride + 2] = 300; // row 3's label (1) is e^-300 less likely: −ln p ≈ 300
    const labels = [0, 9, 4, 1, 7];
    const buffer = ws.copyOf(logits);
    const loss = ws.kernels.softmaxCrossEntropy(buffer.offset, ws.copyOf(labels).offset, rows, classes, stride, 0.5);
    let expectedLoss = 0;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(logits.subarray(r * stride, r * stride + classes));
      const top = Math.max(...row);
      const sum = row.reduce((s, l) => s + Math.exp(l - top), 0);
      expectedLoss += Math.log(sum) - (row[labels[r]] - top);
      for (let c = 0; c < stride; c++) {
        const expected = c >= classes ? 0 : (Math.exp(row[c] - top) / sum - (c === labels[r] ? 1 : 0)) * 0.5;
        assert.ok(Math.abs(buffer.data[r * stride + c] - expected) <= 1e-7, `row ${r} column ${c}: ${buffer.data[r * stride + c]} vs ${expected}`);
      }
    }
    assert.ok(Math.abs(loss - expectedLoss) <= 1e-5 * expectedLoss, `loss ${loss} vs ${expectedLoss}`);
    assert.ok(expectedLoss > 300);
  });
});

describe("sgdStep", () => {
  before(async () => {
    ws = new KernelWorkspace(await kernelModule());
  });

  test("w + (−rate)·g in float32, vectors and the scalar tail", () => {
    const w = ws.copyOf([1, 2, 3, 4, 5]);
    ws.kernels.sgdStep(w.offset, ws.copyOf([1, -1, 0.5, 0, 10]).offset, 5, 0.1);
    assert.deepEqual(
      Array.from(w.data),
      [1 - 0.1, 2 + 0.1, 3 - 0.05, 4, 5 - 1].map((v, i) => Math.fround(Math.fround([1, 2, 3, 4, 5][i]) + Math.fround(-0.1) * [1, -1, 0.5, 0, 10][i])),
    );
  });
});
