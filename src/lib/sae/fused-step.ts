// The SAE training step of train-step.ts, fused: the parameters, Adam's moments and every
// intermediate live in a WebAssembly memory of their own (../wasm/workspace.ts), and the matrix
// products and elementwise passes run on the SIMD kernels; the TopK variants' products skip the
// zero codes (k of dSae per input are not). The architecture's module supplies its encoder and,
// where it changes them, the reconstruction terms (architectures/). No tfjs kernel runs, so a step costs a few dozen wasm
// calls instead of ~100 tfjs kernels. The math follows train-step.ts step by step (the same
// notation); a test holds each step's gradient to the tfjs step's to float32 rounding.
import type { SaeConfig } from "./config.js";
import { architecture } from "./architectures/index.js";
import type { FusedArchitecture, FusedReconstruction, SaeArchitectureModule } from "./architectures/contract.js";
import type { ParameterLayout } from "./parameters.js";
import type { HostParameters } from "./resample.js";
import { ADAM, STAT_AUX, STAT_FIRES, STAT_MIN_KEPT, STAT_PENALTY, STAT_SQUARED_ERROR } from "./train-step.js";
import { KernelWorkspace, matMul, type WasmBuffer } from "../wasm/workspace.js";

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

/** The fused kernels work on whole SIMD vectors of latents: dSae must be a multiple of 4. */
export function fusedStepSupports(config: SaeConfig): boolean {
  return config.dSae % 4 === 0;
}

export class FusedSaeStep {
  private readonly workspace: KernelWorkspace;
  private readonly module: SaeArchitectureModule<SaeConfig>;
  private readonly part: FusedArchitecture;
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
  private readonly encoderBiasPath: WasmBuffer;
  private readonly fires: WasmBuffer;
  /** Per latent: the sparsity term's gradient, where there is one. */
  private readonly sparsityGradient: WasmBuffer;
  /** Selection scratch: the TopK lists and BatchTopK's copy of the codes. */
  private readonly scratch: WasmBuffer;
  /** AuxK's dead latents this step, as int32. */
  private readonly deadLatents: WasmBuffer;
  private readonly stats: Float32Array;

  constructor(
    module: WebAssembly.Module,
    private readonly config: SaeConfig,
    private readonly layout: ParameterLayout,
  ) {
    const { dIn, dSae, size } = layout;
    if (!fusedStepSupports(config)) throw new Error(`FusedSaeStep: dSae must be a multiple of 4, got ${dSae}`);
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
    this.module = architecture(config.architecture);
    const withAuxK = this.module.auxK(config) !== null;
    this.auxCodes = ws.buffer(withAuxK ? batch * dSae : 0);
    this.auxMask = ws.buffer(withAuxK ? batch * dSae : 0);
    this.miss = ws.buffer(withAuxK ? batch * dIn : 0);
    this.encoderBiasPath = ws.buffer(dIn);
    this.fires = ws.buffer(dSae);
    this.sparsityGradient = ws.buffer(dSae);
    this.scratch = ws.buffer(batch * dSae);
    this.deadLatents = ws.buffer(dSae);
    this.stats = new Float32Array(STAT_FIRES + dSae);
    this.part = this.module.fused(ws, config, layout);
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

  /** The loss gradient at the current parameters and the step's statistics, without updating (tests hold it against train-step.ts' lossGradient). */
  gradientAt(input: HostStepInput): { gradient: Float32Array; stats: Float32Array } {
    this.lossGradient(input);
    return { gradient: this.gradient.data.slice(), stats: this.stats.slice() };
  }

  private lossGradient(input: HostStepInput): void {
    const { config, layout, workspace: ws } = this;
    const { kernels } = ws;
    const { dIn, dSae, bEnc, bDec, wDec } = layout;
    const batch = config.batchSize;
    if (input.x.length !== batch * dIn) throw new Error(`FusedSaeStep: x has ${input.x.length} values, expected ${batch} × ${dIn}`);
    const W_enc = this.theta.part(0, dIn * dSae);
    const b_enc = this.theta.part(bEnc, dSae);
    const b_dec = this.theta.part(bDec, dIn);
    const W_dec = this.theta.part(wDec, dSae * dIn);
    const dW_enc = this.gradient.part(0, dIn * dSae);
    const db_enc = this.gradient.part(bEnc, dSae);
    const db_dec = this.gradient.part(bDec, dIn);
    const dW_dec = this.gradient.part(wDec, dSae * dIn);

    this.x.data.set(input.x);
    kernels.subtractBias(this.x.offset, b_dec.offset, this.xc.offset, batch, dIn);
    matMul(ws, this.xc, W_enc, this.pre, batch, dIn, dSae);
    kernels.addBias(this.pre.offset, b_enc.offset, batch, dSae);
    this.fires.data.fill(0);
    const { sparsity, minKept } = this.part.encode({
      kernels,
      pre: this.pre,
      codes: this.codes,
      gate: this.gate,
      fires: this.fires,
      sparsityGradient: this.sparsityGradient,
      scratch: this.scratch,
      batch,
      dSae,
      sparsityCoefficient: input.sparsityCoefficient,
    });
    const reconstructionInput = { kernels, codes: this.codes, x: this.x, W_dec, b_dec, error: this.error, dW_dec, db_dec, dCodes: this.dCodes, batch };
    const { squaredError, penalty, meanError } = this.part.reconstruct ? this.part.reconstruct(reconstructionInput) : this.wholeDictionary();

    let auxLoss = 0;
    const aux = this.module.auxK(config);
    if (aux !== null && input.dead.length > 0) auxLoss = this.auxK(aux.auxCoefficient, squaredError, meanError, input);

    // dW_enc = xcᵀ·dPre, db_enc = Σ_b dPre, db_dec = Σ_b 2e/B − W_enc·db_enc (b_dec enters twice).
    if (this.module.sparseCodes) {
      // dW_encᵀ = dPreᵀ·xc over dPre's nonzeros (rows of SIMD work), then transposed into place.
      kernels.sparseTransposeTimes(this.dCodes.offset, this.xc.offset, this.packed.offset, batch, dSae, dIn, 0);
      kernels.transpose(this.packed.offset, dW_enc.offset, dSae, dIn);
    } else {
      matMul(ws, this.xc, this.dCodes, dW_enc, dIn, batch, dSae, { transposeA: true });
    }
    kernels.sumRows(this.dCodes.offset, db_enc.offset, batch, dSae);
    matMul(ws, W_enc, db_enc, this.encoderBiasPath, dIn, dSae, 1);
    const dbDec = db_dec.data;
    const path = this.encoderBiasPath.data;
    for (let d = 0; d < dIn; d++) dbDec[d] -= path[d];
    // Rows stay unit norm: drop each row's gradient component along the row itself (OpenAI).
    if (this.module.unitNormDecoder) kernels.removeRowComponents(dW_dec.offset, W_dec.offset, dSae, dIn);

    const stats = this.stats;
    stats[STAT_SQUARED_ERROR] = squaredError;
    stats[STAT_PENALTY] = sparsity + penalty;
    stats[STAT_AUX] = auxLoss;
    stats[STAT_MIN_KEPT] = minKept;
    stats.set(this.fires.data, STAT_FIRES);
  }

  /**
   * The reconstruction term of most architectures, Σ||x̂ − x||²/B of the whole dictionary: leaves
   * 2e/B in error, its gradients in dW_dec, db_dec and dCodes (∂/∂pre, the sparsity term's added).
   * TopK codes are zero but for k latents per input: their products skip the zeros.
   */
  private wholeDictionary(): FusedReconstruction {
    const { config, layout, workspace: ws } = this;
    const { kernels } = ws;
    const { dIn, dSae, bDec, wDec } = layout;
    const batch = config.batchSize;
    const W_dec = this.theta.part(wDec, dSae * dIn);
    const b_dec = this.theta.part(bDec, dIn);
    const db_dec = this.gradient.part(bDec, dIn);
    const dW_dec = this.gradient.part(wDec, dSae * dIn);
    const sparse = this.module.sparseCodes;
    // e = codes·W_dec + b_dec − x, replaced in place by the reconstruction gradient 2e/B.
    if (sparse) kernels.sparseRowsTimes(this.codes.offset, W_dec.offset, this.error.offset, batch, dSae, dIn, 0);
    else matMul(ws, this.codes, W_dec, this.error, batch, dSae, dIn);
    kernels.addBias(this.error.offset, b_dec.offset, batch, dIn);
    const squaredError = kernels.scaledError(this.error.offset, this.x.offset, batch * dIn, 2 / batch);
    kernels.sumRows(this.error.offset, db_dec.offset, batch, dIn);
    if (sparse) {
      kernels.sparseTransposeTimes(this.codes.offset, this.error.offset, dW_dec.offset, batch, dSae, dIn, 0);
      // ∂/∂pre = (2e/B)·W_decᵀ where the code was kept (the gate), 0 elsewhere.
      kernels.maskedRowDots(this.error.offset, W_dec.offset, this.gate.offset, this.dCodes.offset, batch, dSae, dIn, 0);
    } else {
      matMul(ws, this.codes, this.error, dW_dec, dSae, batch, dIn, { transposeA: true });
      matMul(ws, this.error, W_dec, this.dCodes, batch, dIn, dSae, { transposeB: true, packed: this.packed });
      kernels.gateGradient(this.dCodes.offset, this.gate.offset, this.sparsityGradient.offset, batch, dSae);
    }
    // Σe/B is half of db_dec = Σ 2e/B (float32 halving is exact).
    return { squaredError, penalty: 0, meanError: db_dec.data.map((v) => v * 0.5) };
  }

  /** OpenAI's AuxK (see train-step.ts' auxK); adds its gradients to dW_dec and dPre, returns its loss. */
  private auxK(auxCoefficient: number, squaredError: number, meanError: Float32Array, input: HostStepInput): number {
    const { layout, workspace: ws } = this;
    const { kernels } = ws;
    const { dIn, dSae, bDec, wDec } = layout;
    const batch = this.config.batchSize;
    // The kAux dead latents with the largest pre-activations, per input, taken as they are.
    const { dead, kAux } = input;
    this.deadLatents.int32().set(dead);
    kernels.keepTopKOfDead(
      this.pre.offset,
      this.deadLatents.offset,
      dead.length,
      batch,
      dSae,
      kAux,
      this.auxCodes.offset,
      this.auxMask.offset,
      this.scratch.offset,
    );
    // Σ||r − mean r||² / B = Σ||e||²/B − ||Σe/B||².
    let meanSquare = 0;
    for (let d = 0; d < dIn; d++) meanSquare += meanError[d] ** 2;
    const residualVariance = squaredError / batch - meanSquare;
    const scale = (auxCoefficient * input.totalVariance) / Math.max(residualVariance, 1e-12 * input.totalVariance);
    // miss = aux·W_dec + e, where this.error holds 2e/B.
    const W_dec = this.theta.part(wDec, dSae * dIn);
    kernels.sparseRowsTimes(this.auxCodes.offset, W_dec.offset, this.miss.offset, batch, dSae, dIn, 0);
    kernels.scale(this.error.offset, batch * dIn, batch / 2);
    kernels.addMasked(this.miss.offset, this.error.offset, 0, batch * dIn);
    kernels.scale(this.error.offset, batch * dIn, 2 / batch);
    const missSquares = kernels.sumOfSquares(this.miss.offset, batch * dIn);
    kernels.scale(this.miss.offset, batch * dIn, (scale * 2) / batch);
    // dW_dec += auxᵀ·missGradient; dPre += (missGradient·W_decᵀ) ⊙ mask, both over AuxK's kAux latents per input only.
    kernels.sparseTransposeTimes(this.auxCodes.offset, this.miss.offset, this.gradient.offset + wDec * 4, batch, dSae, dIn, 1);
    kernels.maskedRowDots(this.miss.offset, W_dec.offset, this.auxMask.offset, this.dCodes.offset, batch, dSae, dIn, 1);
    return (scale * missSquares) / batch;
  }

  /** Adam with the bias corrections folded into the step size and ε, then unit-norm decoder rows again. */
  private adamUpdate(input: HostStepInput): void {
    const { dIn, dSae, wDec, size } = this.layout;
    const { beta1, beta2, epsilon } = ADAM;
    const { kernels } = this.workspace;
    const correction = Math.sqrt(1 - beta2 ** input.step);
    const stepSize = (input.learningRate * correction) / (1 - beta1 ** input.step);
    kernels.adamStep(this.theta.offset, this.m.offset, this.v.offset, this.gradient.offset, size, beta1, beta2, stepSize, epsilon * correction);
    if (this.module.unitNormDecoder) kernels.normalizeRows(this.theta.offset + wDec * 4, dSae, dIn);
  }

  /** The current parameters (a copy). */
  parameters(): Float32Array {
    return this.theta.data.slice();
  }
}
