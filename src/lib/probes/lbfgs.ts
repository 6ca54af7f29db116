// Limited-memory BFGS for the probes' smooth, convex objectives: the two-loop recursion with the
// usual γ = sᵀy / yᵀy scaling, and a backtracking line search on the Armijo condition. The
// objective may be computed in float32 on a tfjs backend, so a line search that cannot decrease
// the value any more ends the run ("no progress") instead of looping on rounding noise.

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the largest gradient component is at most this. */
  tolerance: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
  /** Awaited between iterations: a page stays responsive, and can cancel by throwing. */
  pause?: () => Promise<void>;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Why it stopped: the gradient met the tolerance, no step lowered the value (the precision of a float32 objective), or the iteration limit. */
  stop: "tolerance" | "no progress" | "iterations";
}

/**
 * Returns the objective's value at x and writes its gradient into `gradient`; may be async (a
 * tfjs backend's values are read with data(): WebGPU's dataSync() is not reliable in every browser).
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number | Promise<number>;

const ARMIJO = 1e-4;
const MAX_HALVINGS = 30;

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
};
const largest = (a: Float64Array) => a.reduce((max, v) => Math.max(max, Math.abs(v)), 0);

export async function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions): Promise<LbfgsResult> {
  const n = x0.length;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(n);
  let value = await objective(x, gradient);
  if (!Number.isFinite(value)) throw new Error(`L-BFGS: the objective is ${value} at the starting point`);
  const pairs: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(memory);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (largest(gradient) <= options.tolerance) return { x, value, iterations: iteration, stop: "tolerance" };
    // Two-loop recursion: direction = −H·gradient.
    for (let i = 0; i < n; i++) direction[i] = -gradient[i];
    for (let j = pairs.length - 1; j >= 0; j--) {
      const { s, y, rho } = pairs[j];
      alpha[j] = rho * dot(s, direction);
      for (let i = 0; i < n; i++) direction[i] -= alpha[j] * y[i];
    }
    if (pairs.length > 0) {
      const { s, y } = pairs[pairs.length - 1];
      const gamma = dot(s, y) / dot(y, y);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    }
    for (let j = 0; j < pairs.length; j++) {
      const { s, y, rho } = pairs[j];
      const beta = rho * dot(y, direction);
      for (let i = 0; i < n; i++) direction[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (the curvature pairs went stale): restart from steepest descent.
      pairs.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -gradient[i];
      slope = dot(gradient, direction);
    }
    // The first step has no curvature to go by: at most unit length.
    let step = pairs.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
    const next = new Float64Array(n);
    const nextGradient = new Float64Array(n);
    let nextValue = NaN;
    let accepted = false;
    for (let halving = 0; halving < MAX_HALVINGS; halving++) {
      for (let i = 0; i < n; i++) next[i] = x[i] + step * direction[i];
      nextValue = await objective(next, nextGradient);
      if (Number.isFinite(nextValue) && nextValue <= value + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) return { x, value, iterations: iteration, stop: "no progress" };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - x[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const sy = dot(s, y);
    // Only pairs with positive curvature keep the inverse Hessian estimate positive definite.
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      pairs.push({ s, y, rho: 1 / sy });
      if (pairs.length > memory) pairs.shift();
    }
    x = next;
    gradient = nextGradient;
    value = nextValue;
    await options.pause?.();
  }
  return { x, value, iterations: options.maxIterations, stop: largest(gradient) <= options.tolerance ? "tolerance" : "iterations" };
}
