// A number measured on SAEs trained with several seeds, as mean ± spread, and whether two such
// numbers differ by more than the seeds' noise. The rule: a difference of means counts when it
// exceeds 2·√(sd_a² + sd_b²), about two standard deviations of the difference between one run
// of each; with fewer than 2 seeds on a side there is no spread to measure and nothing counts.
// Stricter than a test on the means (whose sd is smaller by √n), on purpose: a reader should be
// able to retrain one SAE of each kind and see the same order.
export interface SeedSpread {
  /** Runs with a finite value. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for n < 2. */
  sd: number;
  min: number;
  max: number;
}

export function seedSpread(values: readonly number[]): SeedSpread {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, min: NaN, max: NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const sd = n >= 2 ? Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd, min: Math.min(...finite), max: Math.max(...finite) };
}

export interface SeedDifference {
  /** a.mean − b.mean */
  difference: number;
  /** 2·√(sd_a² + sd_b²); NaN when a side has fewer than 2 seeds. */
  noise: number;
  beyondNoise: boolean;
}

export function seedDifference(a: SeedSpread, b: SeedSpread): SeedDifference {
  const difference = a.mean - b.mean;
  const noise = 2 * Math.sqrt(a.sd ** 2 + b.sd ** 2);
  return { difference, noise, beyondNoise: Number.isFinite(noise) && Math.abs(difference) > noise };
}

/** "0.42 ± 0.03" (mean ± sd), or the mean alone for one seed. */
export function formatSpread(s: SeedSpread, digits = 2): string {
  if (s.n === 0) return "n/a";
  return Number.isFinite(s.sd) ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
}
