// Sort orders and average ranks: the one sort that AUROC, best F1 and Spearman all start from,
// written once so that a caller who ranks a column can reuse it for every comparison.

/** Indices 0..n-1 ordered by increasing value; equal values keep index order (deterministic). */
export function argsortAscending(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  if (n <= MAX_PACKED_ROWS && allFloat32(values)) return argsortPacked(values);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  return order;
}

// The fast path, for values that are exactly float32 (every activation matrix's are): each value
// becomes a 32-bit integer that sorts like it, and value · 2^20 + index is one exact float64 key
// (52 bits), so a native numeric sort orders values with ties by index, about 4× faster than a
// sort with a comparator.
const INDEX_BITS = 20;
const MAX_PACKED_ROWS = 2 ** INDEX_BITS;
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

function allFloat32(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]) !== values[i]) return false;
  return true;
}

function argsortPacked(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    asFloat[0] = values[i] === 0 ? 0 : values[i]; // −0 ties with 0, as with a comparator
    const b = bits[0];
    // Negative floats sort in reverse bit order: flip them all; flip only the sign of positives.
    const ordered = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    keys[i] = ordered * MAX_PACKED_ROWS + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = keys[k] % MAX_PACKED_ROWS;
  return order;
}

/**
 * Ranks 1..n of `values` (1 = smallest), tied values sharing the mean of the ranks they span.
 * `order` is argsortAscending(values) when the caller already has it. Values must not be NaN.
 */
export function averageRanks(values: ArrayLike<number>, order: ArrayLike<number> = argsortAscending(values)): Float64Array {
  const n = values.length;
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const value = values[order[start]];
    let end = start + 1;
    while (end < n && values[order[end]] === value) end++;
    // Positions start..end-1 hold ranks start+1..end: their mean is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}
