// A fused training step for classifiers that are stacks of dense layers (dense, ReLU, LayerNorm,
// dropout, a leading standardize; softmax cross-entropy; SGD or Adam; the activation and weight L1
// penalties): the weights, the optimizer's state, every activation and gradient, and the whole
// training set live in a WebAssembly memory of their own, and one step is a few dozen calls of the
// SIMD kernels with no tfjs kernel in between (tfjs' optimizer.minimize runs about 120 per step).
// The math follows tfjs-layers' layers and tfjs' optimizers; a test holds the two paths together.
// The trained weights are copied back into the tfjs model whenever the trainer asks (epoch ends).
import type { LayersModel } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import { deriveSeed } from "../../src/lib/random.js";
import { KernelWorkspace, matMul, type WasmBuffer } from "../../src/lib/wasm/workspace.js";
import type { TrainConfig } from "../../src/lib/models/training-config.js";
import { blankPixelMask } from "./blank-pixels.js";

/** tfjs' backend epsilon for float32, Adam's default ε. */
const ADAM_EPSILON = 1e-7;
const [BETA1, BETA2] = [0.9, 0.999];

/** A weight in the workspace, [rows, stride]: the first `columns` of each row are real (the logits' are padded to whole vectors). */
interface Parameter {
  values: WasmBuffer;
  gradient: WasmBuffer;
  m: WasmBuffer | null;
  v: WasmBuffer | null;
  rows: number;
  columns: number;
  stride: number;
}

type Layer =
  | { kind: "dense"; name: string; inputs: number; units: number; stride: number; kernel: Parameter; bias: Parameter }
  | { kind: "relu"; name: string; units: number; gate: WasmBuffer }
  | { kind: "layernorm"; name: string; units: number; epsilon: number; gamma: Parameter; beta: Parameter; normalized: WasmBuffer; inverseStd: Float32Array }
  | { kind: "dropout"; name: string; units: number; rate: number; index: number; mask: WasmBuffer };

export interface FusedBatch {
  /** Mean cross-entropy over the batch. */
  crossEntropy: number;
  /** The batch's summed penalty (0 without penalties). */
  penalty: number;
  /** Rows whose training-mode logits put the true label first. */
  correct: number;
}

/** Why the fused path cannot train `model` with `penalties`, or null when it can. */
export function fusedStackProblem(model: LayersModel, penalties: TrainConfig["penalties"] = []): string | null {
  const layers = model.layers.slice(1);
  for (const spec of penalties) {
    const names = spec.kind === "activation-l1" ? spec.layers : [spec.layer];
    const expected = spec.kind === "activation-l1" ? "Activation" : "Dense";
    for (const name of names) {
      if (!layers.some((layer) => layer.name === name && layer.getClassName() === expected))
        return `penalty ${spec.kind} on ${name}: the fused step puts it on ${expected === "Activation" ? "a ReLU" : "a dense"} layer of that name, and there is none`;
    }
  }
  for (const [i, layer] of layers.entries()) {
    const type = layer.getClassName();
    if (type === "Rescaling" && i !== 0) return `layer ${layer.name}: standardize is folded into the stored images, so it must come first`;
    if (type === "Activation" && (layer.getConfig() as { activation?: string }).activation !== "relu") return `layer ${layer.name}: only ReLU activations`;
    if (type === "Dense" && (layer.getConfig() as { activation?: string }).activation !== "linear")
      return `layer ${layer.name}: dense layers with a fused activation`;
    if (!["Rescaling", "Dense", "Activation", "LayerNormalization", "Dropout"].includes(type))
      return `layer ${layer.name} is a ${type}; the fused step runs dense stacks only`;
  }
  const last = layers.at(-1);
  if (last?.getClassName() !== "Dense") return "the model does not end in a dense layer";
  return null;
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

export class FusedStack {
  private readonly ws: KernelWorkspace;
  private readonly layers: Layer[] = [];
  private readonly parameters: Parameter[] = [];
  /** activations[i] is layer i's input, activations[i + 1] its output. */
  private readonly activations: WasmBuffer[] = [];
  private readonly gradients: WasmBuffer[] = [];
  private readonly images: WasmBuffer;
  private readonly labels: WasmBuffer;
  private readonly batchLabels: WasmBuffer;
  private readonly packed: WasmBuffer;
  private readonly pixels: number;
  private readonly classes: number;
  private readonly activationL1 = new Map<string, number>();
  private weightL1: { layer: string; coefficient: number; blankRows: Uint8Array } | null = null;
  /** tfjs' Adam keeps β1^t and β2^t as float32 products, updated after each step; so do we. */
  private betaPowers = [Math.fround(BETA1), Math.fround(BETA2)];

  constructor(
    private readonly tf: TF,
    module: WebAssembly.Module,
    private readonly model: LayersModel,
    private readonly config: TrainConfig,
    private readonly batchSize: number,
    data: { images: Uint8Array; labels: Uint8Array; count: number; pixels: number },
  ) {
    const problem = fusedStackProblem(model, config.penalties);
    if (problem !== null) throw new Error(`FusedStack: ${problem}`);
    const ws = (this.ws = new KernelWorkspace(module));
    this.pixels = data.pixels;
    let layers = model.layers.slice(1);
    // imageBatch's x / 255 in float32, then Rescaling's add(mul(x, scale), offset) when the model standardizes.
    let scale = 1;
    let offset = 0;
    if (layers[0]?.getClassName() === "Rescaling") {
      const rescaling = layers[0].getConfig() as { scale: number; offset: number };
      [scale, offset] = [Math.fround(rescaling.scale), Math.fround(rescaling.offset)];
      layers = layers.slice(1);
    }
    let width = data.pixels;
    let dropouts = 0;
    const lastDense = layers.length - 1;
    for (const [i, layer] of layers.entries()) {
      const type = layer.getClassName();
      if (type === "Dense") {
        const [kernel, bias] = layer.getWeights().map((w) => w.dataSync() as Float32Array);
        const units = bias.length;
        // The logits get whole SIMD vectors (softmaxCrossEntropy's padding); hidden layers keep their width.
        const stride = i === lastDense ? roundUp4(units) : units;
        const dense = {
          kind: "dense" as const,
          name: layer.name,
          inputs: width,
          units,
          stride,
          kernel: this.parameter(kernel, width, units, stride),
          bias: this.parameter(bias, 1, units, stride),
        };
        this.layers.push(dense);
        width = units;
      } else if (type === "Activation") {
        this.layers.push({ kind: "relu", name: layer.name, units: width, gate: ws.buffer(batchSize * width) });
      } else if (type === "LayerNormalization") {
        const [gamma, beta] = layer.getWeights().map((w) => w.dataSync() as Float32Array);
        const epsilon = (layer.getConfig() as { epsilon: number }).epsilon;
        this.layers.push({
          kind: "layernorm",
          name: layer.name,
          units: width,
          epsilon,
          gamma: this.parameter(gamma, 1, width, width),
          beta: this.parameter(beta, 1, width, width),
          normalized: ws.buffer(batchSize * width),
          inverseStd: new Float32Array(batchSize),
        });
      } else {
        const rate = (layer.getConfig() as { rate: number }).rate;
        this.layers.push({ kind: "dropout", name: layer.name, units: width, rate, index: dropouts++, mask: ws.buffer(batchSize * width) });
      }
    }
    const logits = this.layers.at(-1) as Extract<Layer, { kind: "dense" }>;
    this.classes = logits.units;
    this.activations.push(ws.buffer(batchSize * data.pixels));
    this.gradients.push(ws.buffer(0));
    for (const [i, layer] of this.layers.entries()) {
      const outWidth = layer.kind === "dense" ? layer.stride : layer.units;
      const output = ws.buffer(batchSize * outWidth);
      this.activations.push(output);
      // The logits' gradient replaces them in place (softmaxCrossEntropy).
      this.gradients.push(i === this.layers.length - 1 ? output : ws.buffer(batchSize * outWidth));
    }
    this.packed = ws.buffer(Math.max(...this.layers.map((l) => (l.kind === "dense" ? l.inputs * l.stride : 0))));
    this.labels = ws.buffer(data.count);
    this.batchLabels = ws.buffer(batchSize);
    this.images = ws.buffer(data.count * data.pixels);
    const images = this.images.data;
    for (let i = 0; i < images.length; i++) {
      const pixel = Math.fround(data.images[i] / 255);
      images[i] = scale === 1 && offset === 0 ? pixel : Math.fround(Math.fround(pixel * scale) + offset);
    }
    this.labels.data.set(data.labels.subarray(0, data.count));
    for (const spec of config.penalties ?? []) {
      if (spec.kind === "activation-l1") {
        for (const name of spec.layers) this.activationL1.set(name, (this.activationL1.get(name) ?? 0) + spec.coefficient);
      } else {
        const blank = blankPixelMask(data.images, data.count, data.pixels, spec.blankFraction);
        this.weightL1 = { layer: spec.layer, coefficient: spec.coefficient, blankRows: Uint8Array.from(blank) };
      }
    }
  }

  private parameter(values: Float32Array, rows: number, columns: number, stride: number): Parameter {
    const buffer = this.ws.buffer(rows * stride);
    for (let r = 0; r < rows; r++) buffer.data.set(values.subarray(r * columns, (r + 1) * columns), r * stride);
    const adam = this.config.optimizer === "adam";
    const parameter = {
      values: buffer,
      gradient: this.ws.buffer(rows * stride),
      m: adam ? this.ws.buffer(rows * stride) : null,
      v: adam ? this.ws.buffer(rows * stride) : null,
      rows,
      columns,
      stride,
    };
    this.parameters.push(parameter);
    return parameter;
  }

  /** One step on the training rows `rows` (epoch from 1, batch from 0 for the dropout seeds). */
  train(rows: ArrayLike<number>, epoch: number, batch: number): FusedBatch {
    const count = rows.length;
    const { pixels } = this;
    const x = this.activations[0].data;
    const all = this.images.data;
    const labels = this.batchLabels.data;
    for (let b = 0; b < count; b++) {
      x.set(all.subarray(rows[b] * pixels, (rows[b] + 1) * pixels), b * pixels);
      labels[b] = this.labels.data[rows[b]];
    }
    let penalty = this.forward(count, epoch, batch);
    const { correct, crossEntropy } = this.loss(count);
    penalty += this.backward(count);
    this.update();
    return { crossEntropy, penalty, correct };
  }

  /** Returns the activation penalty's value. */
  private forward(count: number, epoch: number, batch: number): number {
    const { ws } = this;
    let penalty = 0;
    this.layers.forEach((layer, i) => {
      const [input, output] = [this.activations[i], this.activations[i + 1]];
      switch (layer.kind) {
        case "dense":
          matMul(ws, input, layer.kernel.values, output, count, layer.inputs, layer.stride);
          ws.kernels.addBias(output.offset, layer.bias.values.offset, count, layer.stride);
          break;
        case "relu": {
          const sum = ws.kernels.reluWithGate(input.offset, output.offset, layer.gate.offset, count * layer.units);
          const coefficient = this.activationL1.get(layer.name);
          if (coefficient !== undefined) penalty += (coefficient / count) * sum;
          break;
        }
        case "layernorm":
          this.layerNorm(layer, input.data, output.data, count);
          break;
        case "dropout": {
          const { tf } = this;
          const seed = deriveSeed(this.config.seed, epoch, batch, layer.index);
          // tfjs' own draw, so that the mask is the one the tfjs path would use.
          const mask = tf.tidy(() => tf.dropout(tf.ones([count, layer.units]), layer.rate, undefined, seed).dataSync() as Float32Array);
          layer.mask.data.set(mask);
          const [from, to] = [input.data, output.data];
          for (let j = 0; j < count * layer.units; j++) to[j] = from[j] * mask[j];
          break;
        }
      }
    });
    return penalty;
  }

  /** tfjs' LayerNormalization: (x − mean) / √(variance + ε) · γ + β over each row (biased variance). */
  private layerNorm(layer: Extract<Layer, { kind: "layernorm" }>, x: Float32Array, y: Float32Array, count: number): void {
    const { units, epsilon } = layer;
    const [gamma, beta, normalized] = [layer.gamma.values.data, layer.beta.values.data, layer.normalized.data];
    for (let b = 0; b < count; b++) {
      const o = b * units;
      let mean = 0;
      for (let u = 0; u < units; u++) mean += x[o + u];
      mean = Math.fround(mean / units);
      let variance = 0;
      for (let u = 0; u < units; u++) variance += Math.fround(x[o + u] - mean) ** 2;
      const inverseStd = Math.fround(1 / Math.sqrt(Math.fround(variance / units) + epsilon));
      layer.inverseStd[b] = inverseStd;
      for (let u = 0; u < units; u++) {
        normalized[o + u] = Math.fround(x[o + u] - mean) * inverseStd;
        y[o + u] = normalized[o + u] * gamma[u] + beta[u];
      }
    }
  }

  /** Softmax cross-entropy on the logits; their gradient (p − onehot)/count replaces them. */
  private loss(count: number): { correct: number; crossEntropy: number } {
    const logits = this.layers.at(-1) as Extract<Layer, { kind: "dense" }>;
    const output = this.activations.at(-1) as WasmBuffer;
    const values = output.data;
    const labels = this.batchLabels.data;
    let correct = 0;
    for (let b = 0; b < count; b++) {
      let best = 0;
      for (let c = 1; c < this.classes; c++) if (values[b * logits.stride + c] > values[b * logits.stride + best]) best = c;
      if (best === labels[b]) correct++;
    }
    const sum = this.ws.kernels.softmaxCrossEntropy(output.offset, this.batchLabels.offset, count, this.classes, logits.stride, 1 / count);
    return { correct, crossEntropy: sum / count };
  }

  /** Gradients of every parameter; returns the weight penalty's value (the activation penalty's is taken in forward). */
  private backward(count: number): number {
    const { ws } = this;
    let penalty = 0;
    const firstWithParameters = this.layers.findIndex((layer) => layer.kind === "dense" || layer.kind === "layernorm");
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const [input, dOutput, dInput] = [this.activations[i], this.gradients[i + 1], this.gradients[i]];
      // Nothing before the first layer with parameters needs a gradient.
      const needInput = i > firstWithParameters;
      switch (layer.kind) {
        case "dense": {
          matMul(ws, input, dOutput, layer.kernel.gradient, layer.inputs, count, layer.stride, { transposeA: true });
          ws.kernels.sumRows(dOutput.offset, layer.bias.gradient.offset, count, layer.stride);
          if (this.weightL1?.layer === layer.name) penalty += this.addWeightL1(layer.kernel, this.weightL1.coefficient, this.weightL1.blankRows);
          if (needInput) matMul(ws, dOutput, layer.kernel.values, dInput, count, layer.stride, layer.inputs, { transposeB: true, packed: this.packed });
          break;
        }
        case "relu": {
          const [d, gate, out] = [dOutput.data, layer.gate.data, this.activations[i + 1].data];
          const coefficient = this.activationL1.get(layer.name);
          const target = dInput.data;
          const n = count * layer.units;
          // d|a|/da = sign(a): 1 where the ReLU's output is positive.
          const extra = coefficient === undefined ? 0 : coefficient / count;
          for (let j = 0; j < n; j++) target[j] = (out[j] > 0 ? d[j] + extra : d[j]) * gate[j];
          break;
        }
        case "layernorm":
          this.layerNormBackward(layer, dOutput.data, dInput.data, count);
          break;
        case "dropout": {
          const [d, mask, target] = [dOutput.data, layer.mask.data, dInput.data];
          for (let j = 0; j < count * layer.units; j++) target[j] = d[j] * mask[j];
          break;
        }
      }
    }
    return penalty;
  }

  /** coefficient · Σ|W| over the kernel's blank-pixel rows: adds its gradient, returns its value. */
  private addWeightL1(kernel: Parameter, coefficient: number, blankRows: Uint8Array): number {
    const [w, g] = [kernel.values.data, kernel.gradient.data];
    let sum = 0;
    for (let r = 0; r < kernel.rows; r++) {
      if (!blankRows[r]) continue;
      for (let c = 0, o = r * kernel.stride; c < kernel.columns; c++) {
        sum += Math.abs(w[o + c]);
        g[o + c] += coefficient * Math.sign(w[o + c]);
      }
    }
    return coefficient * sum;
  }

  /** LayerNorm's backward pass: γ and β gradients, and dx = (γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂)) / σ per row. */
  private layerNormBackward(layer: Extract<Layer, { kind: "layernorm" }>, dy: Float32Array, dx: Float32Array, count: number): void {
    const { units } = layer;
    const [gamma, dGamma, dBeta, normalized] = [layer.gamma.values.data, layer.gamma.gradient.data, layer.beta.gradient.data, layer.normalized.data];
    dGamma.fill(0);
    dBeta.fill(0);
    for (let b = 0; b < count; b++) {
      const o = b * units;
      let sum = 0;
      let dot = 0;
      for (let u = 0; u < units; u++) {
        dGamma[u] += dy[o + u] * normalized[o + u];
        dBeta[u] += dy[o + u];
        const g = dy[o + u] * gamma[u];
        sum += g;
        dot += g * normalized[o + u];
      }
      const [meanG, meanGx] = [sum / units, dot / units];
      for (let u = 0; u < units; u++) dx[o + u] = (dy[o + u] * gamma[u] - meanG - normalized[o + u] * meanGx) * layer.inverseStd[b];
    }
  }

  private update(): void {
    const { kernels } = this.ws;
    const rate = this.config.learningRate;
    const [power1, power2] = this.betaPowers;
    for (const p of this.parameters) {
      const n = p.rows * p.stride;
      if (this.config.optimizer === "sgd") {
        kernels.sgdStep(p.values.offset, p.gradient.offset, n, rate);
      } else {
        // tfjs' Adam: m̂ / (√v̂ + ε) with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), as one folded step.
        const correction = Math.sqrt(Math.fround(1 - power2));
        const stepSize = (rate * correction) / Math.fround(1 - power1);
        kernels.adamStep(
          p.values.offset,
          (p.m as WasmBuffer).offset,
          (p.v as WasmBuffer).offset,
          p.gradient.offset,
          n,
          BETA1,
          BETA2,
          stepSize,
          ADAM_EPSILON * correction,
        );
      }
    }
    this.betaPowers = [Math.fround(power1 * Math.fround(BETA1)), Math.fround(power2 * Math.fround(BETA2))];
  }

  /** Copies the trained weights into the tfjs model (for evaluation, snapshots and export). */
  writeBack(): void {
    const { tf } = this;
    for (const layer of this.layers) {
      if (layer.kind !== "dense" && layer.kind !== "layernorm") continue;
      const [a, b] = layer.kind === "dense" ? [layer.kernel, layer.bias] : [layer.gamma, layer.beta];
      const tensors = [a, b].map((p) => {
        const values = new Float32Array(p.rows * p.columns);
        for (let r = 0; r < p.rows; r++) values.set(p.values.data.subarray(r * p.stride, r * p.stride + p.columns), r * p.columns);
        return p.rows === 1 ? tf.tensor1d(values) : tf.tensor2d(values, [p.rows, p.columns]);
      });
      this.model.getLayer(layer.name).setWeights(tensors);
      tf.dispose(tensors);
    }
  }
}
