// Seeded randomness: every random choice in the project goes through a generator made here,
// so that the same seed gives the same result in Node and in the browser.

/** A random source returning floats uniform in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator; good enough for shuffles and sampling. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed in [0, 2^31) derived from `seed` and a path of integers, e.g. (seed, layer) or
 * (seed, epoch, batch, layer), so that each use gets its own stream from one configured seed.
 */
export function deriveSeed(seed: number, ...path: number[]): number {
  let derived = seed;
  for (const part of path) derived = Math.floor(mulberry32((derived >>> 0) ^ Math.imul(part + 1, 0x9e3779b1))() * 2 ** 31);
  return derived;
}

/** An integer uniform in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Fisher-Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, random: Random): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, random);
}

/** k distinct indices from 0..n-1, in increasing order (k is clamped to n). */
export function sampleIndices(n: number, k: number, random: Random): Uint32Array {
  const chosen = permutation(n, random).subarray(0, Math.min(k, n));
  return Uint32Array.from(chosen).sort();
}

/** A standard normal draw (Box-Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
