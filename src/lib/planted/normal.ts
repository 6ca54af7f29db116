// The standard normal's upper tail and its inverse, which the Gaussian copula of the planted
// features needs (a feature fires when its latent normal exceeds the quantile of its probability).
// Computed on the upper tail directly so that rare features (p = 1e-9) keep their accuracy, which
// 1 − Φ(x) would lose to cancellation.

/**
 * erfc(x) by the Chebyshev-fitted exponential of Numerical Recipes (erfcc): fractional error below
 * 1.2e-7 for every x, the tails included.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(-z * z + poly);
  return x >= 0 ? value : 2 - value;
}

/** Q(x) = P(Z > x) for Z ~ N(0, 1). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/**
 * The t with Q(t) = q, for q in (0, 1), by bisection on Q (monotone decreasing) to double precision;
 * consistent with normalUpperTail by construction. q ≥ 1 gives −Infinity, q ≤ 0 gives +Infinity.
 */
export function normalUpperQuantile(q: number): number {
  if (!(q > 0)) return Infinity;
  if (q >= 1) return -Infinity;
  let low = -40;
  let high = 40;
  for (let i = 0; i < 200 && high - low > 1e-15 * Math.max(1, Math.abs(low)); i++) {
    const mid = 0.5 * (low + high);
    if (normalUpperTail(mid) > q) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

/**
 * Decides u < Q(x) for many (u, x) quickly and exactly as normalUpperTail would: Q is tabulated on a
 * grid of step 1/128 over [−10, 10]; since Q decreases, Q(x_{k+1}) ≤ Q(x) ≤ Q(x_k) on a cell, so
 * the table settles every u outside that narrow band (width under 0.4% of [0, 1]) and erfc is only
 * evaluated for the few that fall inside it (and for x off the grid).
 */
export class UpperTailTest {
  private static readonly reach = 10;
  private static readonly perUnit = 128;
  private readonly values: Float64Array;

  constructor() {
    const { reach, perUnit } = UpperTailTest;
    this.values = new Float64Array(2 * reach * perUnit + 1);
    for (let k = 0; k < this.values.length; k++) this.values[k] = normalUpperTail(k / perUnit - reach);
  }

  /** u < Q(x). */
  below(u: number, x: number): boolean {
    const position = (x + UpperTailTest.reach) * UpperTailTest.perUnit;
    if (!(position >= 0 && position < this.values.length - 1)) return u < normalUpperTail(x);
    const k = Math.floor(position);
    if (u >= this.values[k]) return false;
    if (u < this.values[k + 1]) return true;
    return u < normalUpperTail(x);
  }
}
