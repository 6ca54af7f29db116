// The one trainer of every SAE architecture: seeded batches, warm-ups, the step (train-step.ts),
// dead-latent bookkeeping for AuxK and resampling, the JumpReLU threshold estimate, progress and
// history. Same seed and data give bit-identical weights on the same backend.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations } from "../analysis/validate.js";
import { unitStds } from "../analysis/units/stats.js";
import { deriveSeed, mulberry32, permutation } from "../random.js";
import { checkSaeConfig, type InputNormalization, type SaeConfig } from "./config.js";
import { architecture } from "./architectures/index.js";
import { initialParameters, SEED_STREAMS } from "./init.js";
import { parameterLayout, weightsFromParameters, type ParameterLayout } from "./parameters.js";
import { resampleDeadLatents, type HostParameters } from "./resample.js";
import { STAT_AUX, STAT_FIRES, STAT_MIN_KEPT, STAT_PENALTY, STAT_SQUARED_ERROR, trainingStep, type TrainingState } from "./train-step.js";
import { FusedSaeStep, fusedStepSupports, type HostStepInput } from "./fused-step.js";
import type { SaeWeights } from "./weights.js";

/** The history keeps about this many points, each the mean of the steps since the last one: enough for a chart. */
export const HISTORY_POINTS = 200;
/** betweenSteps is awaited after every this many steps (a few ms each on wasm, so a page stays responsive). */
export const STEPS_PER_YIELD = 10;
/** A JumpReLU threshold (BatchTopK's) moves this fraction of the way to each batch's smallest kept code (SAELens' topk_threshold_lr). */
export const THRESHOLD_RATE = 0.01;

export interface TrainingMetrics {
  /** The loss minimized (reconstruction + sparsity + AuxK), in normalized units. */
  loss: number;
  /** Mean over inputs of ||x − x̂||², in the activations' units (metrics.ts' meanSquaredError). */
  mse: number;
  /** Mean active latents per input. */
  l0: number;
  /** Latents that have not fired for config.deadAfterInputs training inputs, as a fraction of dSae. */
  deadFraction: number;
}

export interface TrainingPoint extends TrainingMetrics {
  /** Steps done (1-based); loss, mse and l0 are means over the steps since the previous point. */
  step: number;
}

export interface ResampleEvent {
  /** Resampled after this many steps. */
  step: number;
  latents: number[];
}

export interface TrainSaeHooks {
  /** Called at every history point. */
  onProgress?(step: number, metrics: TrainingMetrics): void;
  /** Awaited every STEPS_PER_YIELD steps: a page or worker yields here. */
  betweenSteps?(): Promise<void>;
  /** Aborting stops training before the next step with the signal's reason; no tensors are left behind. */
  signal?: AbortSignal;
}

export interface TrainSaeResult {
  weights: SaeWeights;
  history: TrainingPoint[];
  resamples: ResampleEvent[];
}

/** The factor applied to inputs: sqrt(dIn) / mean ||x|| for "mean-norm", 1 for "none". */
export function inputScaleFor(data: ActivationMatrix, normalization: InputNormalization): number {
  if (normalization === "none") return 1;
  let normSum = 0;
  for (let r = 0, o = 0; r < data.rows; r++, o += data.cols) {
    let squares = 0;
    for (let c = 0; c < data.cols; c++) squares += data.data[o + c] ** 2;
    normSum += Math.sqrt(squares);
  }
  if (normSum === 0) throw new Error('trainSae: inputNormalization "mean-norm" needs inputs that are not all zero');
  return Math.sqrt(data.cols) / (normSum / data.rows);
}

function checkTrainingData(data: ActivationMatrix, config: SaeConfig): void {
  assertActivationMatrix(data, "trainSae: activations");
  if (data.cols !== config.dIn) throw new Error(`trainSae: config.dIn is ${config.dIn}, but the activations have ${data.cols} values per input`);
  if (data.rows < config.batchSize) {
    throw new Error(`trainSae: batchSize (${config.batchSize}) must be at most the number of training inputs (${data.rows})`);
  }
  assertFiniteActivations(data, "trainSae: activations");
}

/** Batches of batchSize rows in a seeded order, a fresh permutation for each pass over the data; batches run across passes. */
class BatchStream {
  private order: Uint32Array = new Uint32Array(0);
  private position = 0;
  private pass = 0;
  private readonly x: Float32Array;

  constructor(
    private readonly data: ActivationMatrix,
    private readonly batchSize: number,
    private readonly scale: number,
    private readonly seed: number,
  ) {
    this.x = new Float32Array(batchSize * data.cols);
  }

  /** The next batch, scaled (valid until the next call). */
  next(): Float32Array {
    const { batchSize, scale, x } = this;
    const { cols, data: values } = this.data;
    for (let b = 0; b < batchSize; b++) {
      if (this.position === this.order.length) {
        this.order = permutation(this.data.rows, mulberry32(deriveSeed(this.seed, SEED_STREAMS.shuffle, this.pass++)));
        this.position = 0;
      }
      const from = this.order[this.position++] * cols;
      for (let c = 0, to = b * cols; c < cols; c++) x[to + c] = values[from + c] * scale;
    }
    return x;
  }
}

/** Means of the step metrics between history points. */
class History {
  readonly points: TrainingPoint[] = [];
  private readonly interval: number;
  private sums = { loss: 0, mse: 0, l0: 0 };
  private count = 0;

  constructor(private readonly steps: number) {
    this.interval = Math.max(1, Math.ceil(steps / HISTORY_POINTS));
  }

  /** Adds a step; returns the new point when this step closes one. */
  add(step: number, loss: number, mse: number, l0: number, deadFraction: number): TrainingPoint | null {
    this.sums.loss += loss;
    this.sums.mse += mse;
    this.sums.l0 += l0;
    this.count++;
    if (step % this.interval !== 0 && step !== this.steps) return null;
    const n = this.count;
    const point = { step, loss: this.sums.loss / n, mse: this.sums.mse / n, l0: this.sums.l0 / n, deadFraction };
    this.points.push(point);
    this.sums = { loss: 0, mse: 0, l0: 0 };
    this.count = 0;
    return point;
  }
}

/** Linear warm-up from value / steps to value over `steps` steps (step counts from 1). */
const warmedUp = (value: number, step: number, steps: number) => (steps > 0 && step < steps ? (value * step) / steps : value);

/** Where the parameters live and how a step runs on them: tfjs tensors, or the fused wasm step. */
interface Stepper {
  step(input: HostStepInput): Float32Array;
  upload(host: HostParameters): void;
  /** Copies, so that changing them cannot touch a backend's own buffers. */
  download(): HostParameters;
  dispose(): void;
}

/** The reference path: train-step.ts on the tfjs backend. */
class TensorStepper implements Stepper {
  private state: TrainingState | null = null;
  private readonly xT: Float32Array;

  constructor(
    private readonly tf: TF,
    private readonly config: SaeConfig,
    private readonly layout: ParameterLayout,
  ) {
    this.xT = new Float32Array(config.batchSize * config.dIn);
  }

  upload(host: HostParameters): void {
    this.dispose();
    const { tf } = this;
    this.state = { theta: tf.tensor1d(host.theta), m: tf.tensor1d(host.m), v: tf.tensor1d(host.v) };
  }

  download(): HostParameters {
    const state = this.current();
    return { theta: Float32Array.from(state.theta.dataSync()), m: Float32Array.from(state.m.dataSync()), v: Float32Array.from(state.v.dataSync()) };
  }

  step(input: HostStepInput): Float32Array {
    const { tf, config, xT } = this;
    const { batchSize, dIn, dSae } = config;
    // xᵀ built here for free saves a transposed matMul on the backend.
    for (let c = 0; c < dIn; c++) for (let b = 0, to = c * batchSize; b < batchSize; b++) xT[to + b] = input.x[b * dIn + c];
    const x = tf.tensor2d(input.x, [batchSize, dIn]);
    const xTensor = tf.tensor2d(xT, [dIn, batchSize]);
    const bias = input.dead.length > 0 ? tf.tensor1d(deadBias(dSae, input.dead)) : null;
    let result: ReturnType<typeof trainingStep>;
    try {
      result = trainingStep(tf, config, this.layout, this.current(), { ...input, x, xT: xTensor, deadBias: bias });
    } finally {
      tf.dispose([x, xTensor, ...(bias ? [bias] : [])]);
    }
    this.dispose();
    this.state = result.state;
    try {
      return Float32Array.from(result.stats.dataSync());
    } finally {
      result.stats.dispose();
    }
  }

  dispose(): void {
    if (this.state !== null) this.tf.dispose([this.state.theta, this.state.m, this.state.v]);
    this.state = null;
  }

  private current(): TrainingState {
    if (this.state === null) throw new Error("trainSae: the parameters were not uploaded");
    return this.state;
  }
}

/** The fused path: fused-step.ts on a WebAssembly memory of its own. */
class FusedStepper implements Stepper {
  private readonly fused: FusedSaeStep;

  constructor(module: WebAssembly.Module, config: SaeConfig, layout: ParameterLayout) {
    this.fused = new FusedSaeStep(module, config, layout);
  }

  step(input: HostStepInput): Float32Array {
    return this.fused.step(input);
  }

  upload(host: HostParameters): void {
    this.fused.upload(host);
  }

  download(): HostParameters {
    return this.fused.download();
  }

  dispose(): void {
    // The memory goes with the object.
  }
}

/** Inputs since each latent last fired; a latent is dead once that reaches deadAfterInputs. */
class FiringTracker {
  private readonly inputsSinceFired: Float64Array;

  constructor(
    dSae: number,
    private readonly deadAfterInputs: number,
  ) {
    this.inputsSinceFired = new Float64Array(dSae);
  }

  /** Takes one batch's per-latent fire counts; returns how many codes fired in all. */
  record(fireCounts: Float32Array, batchSize: number): number {
    let fires = 0;
    fireCounts.forEach((count, j) => {
      fires += count;
      this.inputsSinceFired[j] = count > 0 ? 0 : this.inputsSinceFired[j] + batchSize;
    });
    return fires;
  }

  dead(): number[] {
    const dead: number[] = [];
    for (let j = 0; j < this.inputsSinceFired.length; j++) if (this.inputsSinceFired[j] >= this.deadAfterInputs) dead.push(j);
    return dead;
  }

  /** Resampled latents start afresh. */
  revive(latents: readonly number[]): void {
    for (const j of latents) this.inputsSinceFired[j] = 0;
  }
}

/** The architecture's sparsity coefficient at a step, warmed up (0 where sparsity is a count). */
function sparsityCoefficientAt(config: SaeConfig, step: number): number {
  return warmedUp(architecture(config.architecture).sparsityCoefficient(config), step, config.l1WarmupSteps);
}

/** AuxK's bias vector for the step: 0 at dead latents, −Infinity elsewhere. */
function deadBias(dSae: number, dead: readonly number[]): Float32Array {
  const bias = new Float32Array(dSae).fill(-Infinity);
  for (const j of dead) bias[j] = 0;
  return bias;
}

export interface TrainSaeOptions {
  /**
   * The compiled training kernels: with them every step runs fused on WebAssembly (fused-step.ts)
   * instead of on tfjs' backend (when fusedStepSupports the config); both paths give the same
   * losses and weights to float32 rounding.
   */
  kernels?: WebAssembly.Module;
}

/** Trains an SAE on the rows of `data` (inputs × dIn) as `config` says; see TrainSaeResult. */
export async function trainSae(
  tf: TF,
  data: ActivationMatrix,
  config: SaeConfig,
  hooks: TrainSaeHooks = {},
  options: TrainSaeOptions = {},
): Promise<TrainSaeResult> {
  const problem = checkSaeConfig(config);
  if (problem !== null) throw new Error(`trainSae: ${problem}`);
  checkTrainingData(data, config);
  const { dSae, batchSize, steps } = config;
  const layout: ParameterLayout = parameterLayout(config.dIn, dSae);
  const inputScale = inputScaleFor(data, config.inputNormalization);
  const totalVariance = unitStds(data).reduce((sum, std) => sum + std * std, 0) * inputScale ** 2;
  if (!(totalVariance > 0)) throw new Error("trainSae: the activations do not vary over the training set; there is nothing to learn");
  const module = architecture(config.architecture);
  const aux = module.auxK(config);

  const batches = new BatchStream(data, batchSize, inputScale, config.seed);
  const firing = new FiringTracker(dSae, config.deadAfterInputs);
  const history = new History(steps);
  const resamples: ResampleEvent[] = [];
  let threshold = 0;
  const stepper: Stepper =
    options.kernels && fusedStepSupports(config) ? new FusedStepper(options.kernels, config, layout) : new TensorStepper(tf, config, layout);
  try {
    stepper.upload({ theta: initialParameters(data, config, inputScale, layout), m: new Float32Array(layout.size), v: new Float32Array(layout.size) });
    for (let step = 1; step <= steps; step++) {
      hooks.signal?.throwIfAborted();
      const learningRate = warmedUp(config.learningRate, step, config.warmupSteps);
      const dead = aux !== null ? firing.dead() : [];
      const kAux = aux !== null ? Math.min(aux.kAux, dead.length) : 0;
      const stats = stepper.step({
        x: batches.next(),
        step,
        learningRate,
        sparsityCoefficient: sparsityCoefficientAt(config, step),
        dead,
        kAux,
        totalVariance,
      });

      const fires = firing.record(stats.subarray(STAT_FIRES), batchSize);
      if (module.tracksThreshold && stats[STAT_MIN_KEPT] < Infinity) {
        threshold += THRESHOLD_RATE * (stats[STAT_MIN_KEPT] - threshold);
      }
      const loss = stats[STAT_SQUARED_ERROR] / batchSize + stats[STAT_PENALTY] + stats[STAT_AUX];
      if (!Number.isFinite(loss))
        throw new Error(`trainSae: the loss became ${loss} at step ${step} (learning rate ${learningRate}); try a lower learningRate`);
      const squaredError = stats[STAT_SQUARED_ERROR];

      if (config.resample !== null && step % config.resample.every === 0 && step + config.resample.every <= steps) {
        const host = stepper.download();
        const random = mulberry32(deriveSeed(config.seed, SEED_STREAMS.resample, step));
        const revived = resampleDeadLatents(tf, host, firing.dead(), {
          layout,
          config,
          data,
          inputScale,
          threshold,
          sampleSize: config.resample.sampleSize,
          random,
        });
        if (revived.length > 0) {
          stepper.upload(host);
          firing.revive(revived);
          resamples.push({ step, latents: revived });
        }
      }

      const deadFraction = firing.dead().length / dSae;
      const point = history.add(step, loss, squaredError / batchSize / inputScale ** 2, fires / batchSize, deadFraction);
      if (point !== null) hooks.onProgress?.(step, { loss: point.loss, mse: point.mse, l0: point.l0, deadFraction });
      if (hooks.betweenSteps && step % STEPS_PER_YIELD === 0) await hooks.betweenSteps();
    }
    const { theta } = stepper.download();
    return { weights: weightsFromParameters(theta, layout, config, inputScale, threshold), history: history.points, resamples };
  } finally {
    stepper.dispose();
  }
}
