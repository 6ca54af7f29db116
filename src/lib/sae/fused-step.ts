// The SAE training step of train-step.ts, fused: the parameters, Adam's moments and every
// intermediate live in a WebAssembly memory of their own (../wasm/workspace.ts), the matrix
// products run on the SIMD kernels, and the elementwise work runs in plain loops over those
// buffers. No tfjs kernel runs, so a step costs a handful of wasm calls instead of ~100 tfjs
// kernels. The math and its order of operations follow train-step.ts line by line (the same
// notation); a test holds the two to float32 rounding over hundreds of steps.
import { hasUnitNormDecoder, type SaeConfig } from "./config.js";
import { SMALLEST_POSITIVE } from "./encode.js";
import type { ParameterLayout } from "./parameters.js";
import type { HostParameters } from "./resample.js";
import { ADAM, STAT_AUX, STAT_FIRES, STAT_MIN_KEPT, STAT_SPARSITY, STAT_SQUARED_ERROR } from "./train-step.js";
import { KernelWorkspace, matMul, type WasmBuffer } from "../wasm/workspace.js";

/** KL's rho_hat is clamped this far inside (0, 1), as in train-step.ts. */
const RHO_HAT_MARGIN = 1e-6;

/** One step's inputs on the host (see train-step.ts' StepInput for each field). */
export interface HostStepInput {
  /** [B, dIn], normalized. */
  x: Float32Array;
  step: number;
  learningRate: number;
  sparsityCoefficient: number;
  /** Dead latents for AuxK this step (empty: AuxK is off this step). */
  dead: readonly number[];
  kAux: number;
  totalVariance: number;
}

/** The k-th largest of values[from .. from + count) (k from 1), by keeping the k largest in order. */
function kthLargestInRow(values: Float32Array, from: number, count: number, k: number, largest: Float64Array): number {
  let kept = 0;
  for (let j = from, end = from + count; j < end; j++) {
    const value = values[j];
    if (kept === k && value <= largest[k - 1]) continue;
    let at = kept < k ? kept++ : k - 1;
    while (at > 0 && largest[at - 1] < value) {
      largest[at] = largest[at - 1];
      at--;
    }
    largest[at] = value;
  }
  return largest[k - 1];
}

/** The k-th largest of `values` (k from 1), partially reordering `scratch`, a copy of them (quickselect). */
function kthLargest(scratch: Float32Array, k: number): number {
  let lo = 0;
  let hi = scratch.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = scratch[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        const t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return scratch[target];
}

export class FusedSaeStep {
  private readonly workspace: KernelWorkspace;
  private readonly theta: WasmBuffer;
  private readonly m: WasmBuffer;
  private readonly v: WasmBuffer;
  private readonly gradient: WasmBuffer;
  private readonly x: WasmBuffer;
  private readonly xc: WasmBuffer;
  private readonly pre: WasmBuffer;
  private readonly codes: WasmBuffer;
  private readonly gate: WasmBuffer;
  private readonly error: WasmBuffer;
  private readonly dCodes: WasmBuffer;
  private readonly packed: WasmBuffer;
  private readonly auxCodes: WasmBuffer;
  private readonly auxMask: WasmBuffer;
  private readonly miss: WasmBuffer;
  private readonly product: WasmBuffer;
  private readonly decoderProduct: WasmBuffer;
  private readonly fires: Float32Array;
  private readonly sparsityGradient: Float64Array;
  private readonly largest: Float64Array;
  private readonly batchScratch: Float32Array;
  private readonly stats: Float32Array;

  constructor(
    module: WebAssembly.Module,
    private readonly config: SaeConfig,
    private readonly layout: ParameterLayout,
  ) {
    const { dIn, dSae, size } = layout;
    const batch = config.batchSize;
    const ws = (this.workspace = new KernelWorkspace(module));
    this.theta = ws.buffer(size);
    this.m = ws.buffer(size);
    this.v = ws.buffer(size);
    this.gradient = ws.buffer(size);
    this.x = ws.buffer(batch * dIn);
    this.xc = ws.buffer(batch * dIn);
    this.pre = ws.buffer(batch * dSae);
    this.codes = ws.buffer(batch * dSae);
    this.gate = ws.buffer(batch * dSae);
    this.error = ws.buffer(batch * dIn);
    this.dCodes = ws.buffer(batch * dSae);
    this.packed = ws.buffer(dIn * dSae);
    const topK = config.architecture === "topk" || config.architecture === "batchtopk";
    this.auxCodes = ws.buffer(topK ? batch * dSae : 0);
    this.auxMask = ws.buffer(topK ? batch * dSae : 0);
    this.miss = ws.buffer(topK ? batch * dIn : 0);
    this.product = ws.buffer(topK ? batch * dSae : 0);
    this.decoderProduct = ws.buffer(topK ? dSae * dIn : 0);
    this.fires = new Float32Array(dSae);
    this.sparsityGradient = new Float64Array(dSae);
    this.largest = new Float64Array(Math.max(topK ? config.k : 1, topK ? config.kAux : 1));
    this.batchScratch = new Float32Array(config.architecture === "batchtopk" ? batch * dSae : 0);
    this.stats = new Float32Array(STAT_FIRES + dSae);
  }

  upload(host: HostParameters): void {
    this.theta.data.set(host.theta);
    this.m.data.set(host.m);
    this.v.data.set(host.v);
  }

  /** Copies, so that changing them cannot touch the workspace. */
  download(): HostParameters {
    return { theta: this.theta.data.slice(), m: this.m.data.slice(), v: this.v.data.slice() };
  }

  /** One Adam step; returns the step's statistics (train-step.ts' STAT_* layout), valid until the next step. */
  step(input: HostStepInput): Float32Array {
    this.lossGradient(input);
    this.adamUpdate(input);
    return this.stats;
  }

  /** Where the encoder runs: codes, gate and fires from pre; returns the sparsity term and BatchTopK's smallest kept code. */
  private encode(batch: number, sparsityCoefficient: number): { sparsity: number; minKept: number } {
    const { config } = this;
    const { dSae } = this.layout;
    const pre = this.pre.data;
    const codes = this.codes.data;
    const gate = this.gate.data;
    const fires = this.fires;
    fires.fill(0);
    const n = batch * dSae;
    switch (config.architecture) {
      case "l1": {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const code = pre[i] > 0 ? pre[i] : 0;
          codes[i] = code;
          gate[i] = code > 0 ? 1 : 0;
          sum += code;
        }
        for (let b = 0; b < batch; b++) for (let j = 0; j < dSae; j++) fires[j] += gate[b * dSae + j];
        const coefficient = sparsityCoefficient / batch;
        this.sparsityGradient.fill(coefficient);
        return { sparsity: sum * coefficient, minKept: Infinity };
      }
      case "kl": {
        const { rho } = config;
        const rhoHat = this.sparsityGradient;
        rhoHat.fill(0);
        for (let b = 0, i = 0; b < batch; b++) {
          for (let j = 0; j < dSae; j++, i++) {
            const code = 1 / (1 + Math.exp(-pre[i]));
            codes[i] = code;
            const stored = codes[i];
            gate[i] = stored * (1 - stored);
            rhoHat[j] += stored;
            if (pre[i] > 0) fires[j]++;
          }
        }
        let kl = 0;
        const scale = sparsityCoefficient / batch;
        for (let j = 0; j < dSae; j++) {
          const r = Math.min(Math.max(rhoHat[j] / batch, RHO_HAT_MARGIN), 1 - RHO_HAT_MARGIN);
          kl += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
          rhoHat[j] = ((1 - rho) / (1 - r) - rho / r) * scale;
        }
        return { sparsity: kl * sparsityCoefficient, minKept: Infinity };
      }
      case "topk": {
        for (let b = 0; b < batch; b++) {
          const from = b * dSae;
          for (let j = from; j < from + dSae; j++) codes[j] = pre[j] > 0 ? pre[j] : 0;
          const threshold = Math.max(kthLargestInRow(codes, from, dSae, config.k, this.largest), SMALLEST_POSITIVE);
          for (let j = 0; j < dSae; j++) {
            const kept = codes[from + j] >= threshold;
            gate[from + j] = kept ? 1 : 0;
            if (kept) fires[j]++;
            else codes[from + j] = 0;
          }
        }
        return { sparsity: 0, minKept: Infinity };
      }
      case "batchtopk": {
        const scratch = this.batchScratch;
        for (let i = 0; i < n; i++) {
          const code = pre[i] > 0 ? pre[i] : 0;
          codes[i] = code;
          scratch[i] = code;
        }
        const kth = kthLargest(scratch, config.k * batch);
        const threshold = Math.max(kth, SMALLEST_POSITIVE);
        let smallestPositive = Infinity;
        for (let b = 0, i = 0; b < batch; b++) {
          for (let j = 0; j < dSae; j++, i++) {
            const code = codes[i];
            if (code > 0 && code < smallestPositive) smallestPositive = code;
            const kept = code >= threshold;
            gate[i] = kept ? 1 : 0;
            if (kept) fires[j]++;
            else codes[i] = 0;
          }
        }
        // The smallest positive code among the k·B largest (train-step.ts' minKept).
        return { sparsity: 0, minKept: kth > 0 ? kth : smallestPositive };
      }
    }
  }

  private lossGradient(input: HostStepInput): void {
    const { config, layout, workspace: ws } = this;
    const { dIn, dSae, bEnc, bDec, wDec } = layout;
    const batch = config.batchSize;
    if (input.x.length !== batch * dIn) throw new Error(`FusedSaeStep: x has ${input.x.length} values, expected ${batch} × ${dIn}`);
    const W_enc = this.theta.part(0, dIn * dSae);
    const b_enc = this.theta.part(bEnc, dSae);
    const W_dec = this.theta.part(wDec, dSae * dIn);
    const dW_enc = this.gradient.part(0, dIn * dSae);
    const db_enc = this.gradient.part(bEnc, dSae);
    const db_dec = this.gradient.part(bDec, dIn);
    const dW_dec = this.gradient.part(wDec, dSae * dIn);
    const theta = this.theta.data;

    const x = this.x.data;
    x.set(input.x);
    const xc = this.xc.data;
    for (let b = 0, i = 0; b < batch; b++) for (let d = 0; d < dIn; d++, i++) xc[i] = x[i] - theta[bDec + d];
    matMul(ws, this.xc, W_enc, this.pre, batch, dIn, dSae);
    ws.kernels.addBias(this.pre.offset, b_enc.offset, batch, dSae);
    const { sparsity, minKept } = this.encode(batch, input.sparsityCoefficient);

    // error = codes·W_dec + b_dec − x; the reconstruction gradient 2e/B replaces it in place.
    matMul(ws, this.codes, W_dec, this.error, batch, dSae, dIn);
    const error = this.error.data;
    let squaredError = 0;
    for (let b = 0, i = 0; b < batch; b++) {
      for (let d = 0; d < dIn; d++, i++) {
        const e = Math.fround(error[i] + theta[bDec + d]) - x[i];
        error[i] = e;
        squaredError += e * e;
      }
    }
    const twoOverBatch = 2 / batch;
    for (let i = 0; i < batch * dIn; i++) error[i] *= twoOverBatch;
    ws.kernels.sumRows(this.error.offset, db_dec.offset, batch, dIn);
    matMul(ws, this.codes, this.error, dW_dec, dSae, batch, dIn, { transposeA: true });
    // W_dec [dSae, dIn] used as W_decᵀ: packed once here, reused by AuxK below.
    matMul(ws, this.error, W_dec, this.dCodes, batch, dIn, dSae, { transposeB: true, packed: this.packed });

    const dPre = this.dCodes.data;
    const gate = this.gate.data;
    const sparsityGradient = config.architecture === "l1" || config.architecture === "kl" ? this.sparsityGradient : null;
    for (let b = 0, i = 0; b < batch; b++) {
      for (let j = 0; j < dSae; j++, i++) {
        const dCode = sparsityGradient === null ? dPre[i] : Math.fround(dPre[i] + sparsityGradient[j]);
        dPre[i] = dCode * gate[i];
      }
    }

    let auxLoss = 0;
    if ((config.architecture === "topk" || config.architecture === "batchtopk") && input.dead.length > 0 && config.auxCoefficient > 0) {
      auxLoss = this.auxK(config.auxCoefficient, squaredError, input);
    }

    // dW_enc = xcᵀ·dPre, db_enc = Σ_b dPre, db_dec = Σ_b 2e/B − W_enc·db_enc.
    matMul(ws, this.xc, this.dCodes, dW_enc, dIn, batch, dSae, { transposeA: true });
    ws.kernels.sumRows(this.dCodes.offset, db_enc.offset, batch, dSae);
    const dbEnc = db_enc.data;
    const dbDec = db_dec.data;
    for (let d = 0; d < dIn; d++) {
      let dot = 0;
      for (let j = 0, w = d * dSae; j < dSae; j++) dot += theta[w + j] * dbEnc[j];
      dbDec[d] = dbDec[d] - dot;
    }
    if (hasUnitNormDecoder(config.architecture)) {
      // Rows stay unit norm: drop each row's gradient component along the row itself (OpenAI).
      const g = dW_dec.data;
      for (let j = 0; j < dSae; j++) {
        const row = wDec + j * dIn;
        let along = 0;
        for (let d = 0; d < dIn; d++) along += g[j * dIn + d] * theta[row + d];
        for (let d = 0; d < dIn; d++) g[j * dIn + d] -= along * theta[row + d];
      }
    }
    const stats = this.stats;
    stats[STAT_SQUARED_ERROR] = squaredError;
    stats[STAT_SPARSITY] = sparsity;
    stats[STAT_AUX] = auxLoss;
    stats[STAT_MIN_KEPT] = minKept;
    stats.set(this.fires, STAT_FIRES);
  }

  /** OpenAI's AuxK (see train-step.ts' auxK); adds its gradients to dW_dec and dPre, returns its loss. */
  private auxK(auxCoefficient: number, squaredError: number, input: HostStepInput): number {
    const { layout, workspace: ws } = this;
    const { dIn, dSae, wDec } = layout;
    const batch = this.config.batchSize;
    const pre = this.pre.data;
    const aux = this.auxCodes.data;
    const mask = this.auxMask.data;
    const deadPre = new Float32Array(input.dead.length);
    aux.fill(0);
    mask.fill(0);
    for (let b = 0; b < batch; b++) {
      const from = b * dSae;
      input.dead.forEach((j, i) => (deadPre[i] = pre[from + j]));
      const kth = kthLargestInRow(deadPre, 0, deadPre.length, input.kAux, this.largest);
      for (const j of input.dead) {
        if (pre[from + j] >= kth) {
          mask[from + j] = 1;
          aux[from + j] = pre[from + j];
        }
      }
    }
    // Σ||r − mean r||² / B = Σ||e||²/B − ||Σe/B||², and Σe/B is half the decoder bias gradient so far.
    const meanError = this.gradient.part(layout.bDec, dIn).data;
    let meanSquare = 0;
    for (let d = 0; d < dIn; d++) meanSquare += (meanError[d] * 0.5) ** 2;
    const residualVariance = squaredError / batch - meanSquare;
    const scale = (auxCoefficient * input.totalVariance) / Math.max(residualVariance, 1e-12 * input.totalVariance);
    // miss = aux·W_dec + e, with e = (2/B)·error in this.error: undo the factor.
    matMul(ws, this.auxCodes, this.theta.part(wDec, dSae * dIn), this.miss, batch, dSae, dIn);
    const miss = this.miss.data;
    const error = this.error.data;
    const half = batch / 2;
    let missSquares = 0;
    const gradientScale = (scale * 2) / batch;
    for (let i = 0; i < batch * dIn; i++) {
      const value = Math.fround(miss[i] + error[i] * half);
      missSquares += value * value;
      miss[i] = value * gradientScale;
    }
    // dW_dec += auxᵀ·missGradient; dPre += (missGradient·W_decᵀ) ⊙ mask, W_decᵀ still packed.
    matMul(ws, this.auxCodes, this.miss, this.decoderProduct, dSae, batch, dIn, { transposeA: true });
    const dW_dec = this.gradient.part(wDec, dSae * dIn).data;
    const extra = this.decoderProduct.data;
    for (let i = 0; i < dSae * dIn; i++) dW_dec[i] += extra[i];
    ws.kernels.matMul(this.miss.offset, this.packed.offset, this.product.offset, batch, dIn, dSae, 0);
    const dPre = this.dCodes.data;
    const product = this.product.data;
    for (let i = 0; i < batch * dSae; i++) if (mask[i] !== 0) dPre[i] += product[i];
    return (scale * missSquares) / batch;
  }

  /** Adam with the bias corrections folded into the step size and ε, then unit-norm decoder rows again. */
  private adamUpdate(input: HostStepInput): void {
    const { dIn, dSae, wDec, size } = this.layout;
    const { beta1, beta2, epsilon } = ADAM;
    const theta = this.theta.data;
    const m = this.m.data;
    const v = this.v.data;
    const g = this.gradient.data;
    const correction = Math.sqrt(1 - beta2 ** input.step);
    const stepSize = (input.learningRate * correction) / (1 - beta1 ** input.step);
    const epsilonHat = epsilon * correction;
    for (let i = 0; i < size; i++) {
      const gi = g[i];
      m[i] = m[i] + (gi - m[i]) * (1 - beta1);
      v[i] = v[i] + (gi * gi - v[i]) * (1 - beta2);
      theta[i] = theta[i] - (m[i] / (Math.sqrt(v[i]) + epsilonHat)) * stepSize;
    }
    if (hasUnitNormDecoder(this.config.architecture)) {
      for (let j = 0; j < dSae; j++) {
        const row = wDec + j * dIn;
        let squares = 0;
        for (let d = 0; d < dIn; d++) squares += theta[row + d] * theta[row + d];
        const norm = Math.sqrt(squares);
        for (let d = 0; d < dIn; d++) theta[row + d] = theta[row + d] / norm;
      }
    }
  }

  /** The current parameters (a copy). */
  parameters(): Float32Array {
    return this.theta.data.slice();
  }
}
