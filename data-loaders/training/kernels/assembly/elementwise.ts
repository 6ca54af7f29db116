// Elementwise and row-wise steps of the fused training steps (src/lib/sae/fused-step.ts and the
// dense stacks): the passes between the matrix products. In plain JavaScript each costs about
// 5 ns per value; here about 1. Buffers are byte offsets of float32 arrays; sums come back as f64.

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** out[r, c] = x[r, c] − bias[c]. */
export function subtractBias(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) store<f32>(at(out, i), load<f32>(at(x, i)) - load<f32>(at(bias, c)));
  }
}

const ZERO = f32x4.splat(0);
const ONE = f32x4.splat(1);

/** codes = max(pre, 0) and gate = 1 where a code is positive, else 0; returns Σ codes. Branch-free: signs are random. */
export function reluWithGate(pre: usize, codes: usize, gate: usize, n: i32): f64 {
  let sums = ZERO;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const code = f32x4.pmax(v128.load(at(pre, i)), ZERO);
    v128.store(at(codes, i), code);
    v128.store(at(gate, i), v128.and(f32x4.gt(code, ZERO), ONE));
    sums = f32x4.add(sums, code);
  }
  let sum = <f64>f32x4.extract_lane(sums, 0) + <f64>f32x4.extract_lane(sums, 1) + <f64>f32x4.extract_lane(sums, 2) + <f64>f32x4.extract_lane(sums, 3);
  for (; i < n; i++) {
    const value = load<f32>(at(pre, i));
    const code: f32 = value > 0 ? value : 0;
    store<f32>(at(codes, i), code);
    store<f32>(at(gate, i), code > 0 ? 1 : 0);
    sum += code;
  }
  return sum;
}

/**
 * e^x for four lanes: 2^n · e^r with n = round(x / ln 2), r = x − n·ln 2 in two parts (exact
 * enough in f32), e^r by its Taylor series to r^7 (|r| ≤ 0.35: error about 2e-8 relative), and 2^n
 * put into the exponent bits. Ours because AssemblyScript's Mathf.exp brings a lookup table, a
 * data segment this module must not have (kernel-binary.ts). Inputs are clamped to [−87, 88],
 * where e^x is a normal f32.
 */
@inline function exp4(x: v128): v128 {
  const clamped = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87)), f32x4.splat(88));
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(0.693145751953125))), f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let sum = f32x4.splat(1.0 / 5040);
  sum = f32x4.add(f32x4.mul(sum, r), f32x4.splat(1.0 / 720));
  sum = f32x4.add(f32x4.mul(sum, r), f32x4.splat(1.0 / 120));
  sum = f32x4.add(f32x4.mul(sum, r), f32x4.splat(1.0 / 24));
  sum = f32x4.add(f32x4.mul(sum, r), f32x4.splat(1.0 / 6));
  sum = f32x4.add(f32x4.mul(sum, r), f32x4.splat(0.5));
  sum = f32x4.add(f32x4.mul(sum, r), ONE);
  sum = f32x4.add(f32x4.mul(sum, r), ONE);
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(sum, scale);
}

/** codes = σ(pre), gate = σ'(pre) = codes·(1 − codes), and fires[c] += 1 where pre > 0; cols a multiple of 4. */
export function sigmoidWithGate(pre: usize, codes: usize, gate: usize, fires: usize, rows: i32, cols: i32): void {
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c += 4, i += 4) {
      const value = v128.load(at(pre, i));
      const code = f32x4.div(ONE, f32x4.add(ONE, exp4(f32x4.neg(value))));
      v128.store(at(codes, i), code);
      v128.store(at(gate, i), f32x4.mul(code, f32x4.sub(ONE, code)));
      v128.store(at(fires, c), f32x4.add(v128.load(at(fires, c)), v128.and(f32x4.gt(value, ZERO), ONE)));
    }
  }
}

/** The largest value below `below` in values[0..count), and how many times it occurs; count a multiple of 4. */
@inline function largestBelow(values: usize, count: i32, below: f32): v128 {
  const limit = f32x4.splat(below);
  let best = f32x4.splat(-Infinity);
  for (let i = 0; i < count; i += 4) {
    const v = v128.load(at(values, i));
    best = f32x4.pmax(best, v128.bitselect(v, f32x4.splat(-Infinity), f32x4.lt(v, limit)));
  }
  return best;
}

@inline function horizontalMax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

@inline function countEqual(values: usize, count: i32, value: f32): i32 {
  const target = f32x4.splat(value);
  let counts = i32x4.splat(0);
  for (let i = 0; i < count; i += 4) counts = i32x4.sub(counts, f32x4.eq(v128.load(at(values, i)), target));
  return i32x4.extract_lane(counts, 0) + i32x4.extract_lane(counts, 1) + i32x4.extract_lane(counts, 2) + i32x4.extract_lane(counts, 3);
}

/**
 * The k-th largest of values[0..count) counting repeats (tf.topk's k-th value), for k ≤ count and
 * count a multiple of 4: distinct values from the top, one vector pass each, until k are covered.
 * For the small k of TopK this beats sorting and has no data-dependent branches inside a pass.
 */
function kthLargestInRow(values: usize, count: i32, k: i32): f32 {
  let below = Infinity as f32;
  let covered = 0;
  // The maximum is found with "below +Infinity", so an +Infinity value would be skipped: none occur here.
  while (true) {
    const value = horizontalMax(largestBelow(values, count, below));
    covered += countEqual(values, count, value);
    if (covered >= k || value == -Infinity) return value;
    below = value;
  }
}

/**
 * TopK per row: keeps a row's codes that are at least max(its k-th largest, floor) and zeroes the
 * rest; gate = 1 where kept; fires[c] += 1 where kept. cols a multiple of 4.
 */
export function keepTopKPerRow(codes: usize, gate: usize, fires: usize, rows: i32, cols: i32, k: i32, floor: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = codes + (<usize>(r * cols) << 2);
    const threshold = max(kthLargestInRow(row, cols, k), floor);
    keepAtLeastRow(row, gate + (<usize>(r * cols) << 2), fires, cols, threshold);
  }
}

@inline function keepAtLeastRow(codes: usize, gate: usize, fires: usize, cols: i32, threshold: f32): void {
  const limit = f32x4.splat(threshold);
  for (let c = 0; c < cols; c += 4) {
    const code = v128.load(at(codes, c));
    const kept = f32x4.ge(code, limit);
    const ones = v128.and(kept, ONE);
    v128.store(at(codes, c), v128.and(code, kept));
    v128.store(at(gate, c), ones);
    v128.store(at(fires, c), f32x4.add(v128.load(at(fires, c)), ones));
  }
}

/** The same with one threshold for every row (BatchTopK); cols a multiple of 4. */
export function keepAtLeast(codes: usize, gate: usize, fires: usize, rows: i32, cols: i32, threshold: f32): void {
  for (let r = 0; r < rows; r++) keepAtLeastRow(codes + (<usize>(r * cols) << 2), gate + (<usize>(r * cols) << 2), fires, cols, threshold);
}

/** The k-th largest of values[0..n) (k from 1): copies them to `scratch` (n floats) and quickselects there. */
export function kthLargest(values: usize, scratch: usize, n: i32, k: i32): f32 {
  memory.copy(scratch, values, <usize>n << 2);
  return selectInPlace(scratch, n, k);
}

/** The k-th largest of scratch[0..n), reordering it (quickselect). */
function selectInPlace(scratch: usize, n: i32, k: i32): f32 {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = load<f32>(at(scratch, (lo + hi) >>> 1));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (load<f32>(at(scratch, i)) > pivot) i++;
      while (load<f32>(at(scratch, j)) < pivot) j--;
      if (i <= j) {
        const t = load<f32>(at(scratch, i));
        store<f32>(at(scratch, i), load<f32>(at(scratch, j)));
        store<f32>(at(scratch, j), t);
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return load<f32>(at(scratch, target));
}

/** The smallest positive value of values[0..n), or +Infinity when there is none. */
export function smallestPositive(values: usize, n: i32): f32 {
  let smallest = Infinity as f32;
  for (let i = 0; i < n; i++) {
    const value = load<f32>(at(values, i));
    if (value > 0 && value < smallest) smallest = value;
  }
  return smallest;
}

/** e = xhat − x in place of xhat, then scaled by `scale`; returns Σ e² (before scaling). */
export function scaledError(xhat: usize, x: usize, n: i32, scale: f32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const e = load<f32>(at(xhat, i)) - load<f32>(at(x, i));
    sum += <f64>e * <f64>e;
    store<f32>(at(xhat, i), e * scale);
  }
  return sum;
}

/** d[r, c] = (d[r, c] + columnTerm[c]) · gate[r, c]; columnTerm may be 0 (no term); cols a multiple of 4. */
export function gateGradient(d: usize, gate: usize, columnTerm: usize, rows: i32, cols: i32): void {
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c += 4, i += 4) {
      const term = columnTerm == 0 ? ZERO : v128.load(at(columnTerm, c));
      v128.store(at(d, i), f32x4.mul(f32x4.add(v128.load(at(d, i)), term), v128.load(at(gate, i))));
    }
  }
}

/** dst += src · (mask ≠ 0), n values; mask 0 means every value. */
export function addMasked(dst: usize, src: usize, mask: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    if (mask == 0 || load<f32>(at(mask, i)) != 0) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
  }
}

/** x *= scale, n values. */
export function scale(x: usize, n: i32, factor: f32): void {
  for (let i = 0; i < n; i++) store<f32>(at(x, i), load<f32>(at(x, i)) * factor);
}

/** Σ x², n values. */
export function sumOfSquares(x: usize, n: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const value = <f64>load<f32>(at(x, i));
    sum += value * value;
  }
  return sum;
}

/** Adam with the bias corrections folded into stepSize and epsilonHat (src/lib/sae/train-step.ts). */
export function adamStep(theta: usize, m: usize, v: usize, g: usize, n: i32, beta1: f32, beta2: f32, stepSize: f32, epsilonHat: f32): void {
  const keep1: f32 = 1 - beta1;
  const keep2: f32 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gradient = load<f32>(at(g, i));
    const mi = load<f32>(at(m, i));
    const vi = load<f32>(at(v, i));
    const m1 = mi + (gradient - mi) * keep1;
    const v1 = vi + (gradient * gradient - vi) * keep2;
    store<f32>(at(m, i), m1);
    store<f32>(at(v, i), v1);
    store<f32>(at(theta, i), load<f32>(at(theta, i)) - (m1 / (Mathf.sqrt(v1) + epsilonHat)) * stepSize);
  }
}

/** Each row of w [rows, cols] divided by its Euclidean norm. */
export function normalizeRows(w: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = w + (<usize>(r * cols) << 2);
    let squares: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const value = load<f32>(at(row, c));
      squares += value * value;
    }
    const norm = Mathf.sqrt(squares);
    for (let c = 0; c < cols; c++) store<f32>(at(row, c), load<f32>(at(row, c)) / norm);
  }
}

/** g[r] −= (g[r]·w[r]) w[r] per row: the part of each row's gradient along the (unit) row itself. */
export function removeRowComponents(g: usize, w: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const gr = g + (<usize>(r * cols) << 2);
    const wr = w + (<usize>(r * cols) << 2);
    let along: f32 = 0;
    for (let c = 0; c < cols; c++) along += load<f32>(at(gr, c)) * load<f32>(at(wr, c));
    for (let c = 0; c < cols; c++) store<f32>(at(gr, c), load<f32>(at(gr, c)) - along * load<f32>(at(wr, c)));
  }
}

/**
 * ln x for a positive, finite f64: x = m·2^e with m in [√½, √2), and ln m = 2·atanh(s) with
 * s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series to s^13 (error below 1e-11). Ours for the same
 * reason as exp4.
 */
@inline function log64(x: f64): f64 {
  const bits = reinterpret<i64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let series = 1.0 / 13;
  series = series * s2 + 1.0 / 11;
  series = series * s2 + 1.0 / 9;
  series = series * s2 + 1.0 / 7;
  series = series * s2 + 1.0 / 5;
  series = series * s2 + 1.0 / 3;
  series = series * s2 + 1;
  return 2 * s * series + <f64>e * 0.6931471805599453;
}

/**
 * Softmax cross-entropy of each row of logits [rows, stride] over its first `classes` columns
 * (stride a multiple of 4, the rest padding): returns Σ_rows −ln p[label] and leaves
 * (p − onehot(label))·scale in the logits' place, 0 in the padding. labels: one float per row.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, rows: i32, classes: i32, stride: i32, scale: f32): f64 {
  let loss: f64 = 0;
  const negativeInfinity = f32x4.splat(-Infinity);
  for (let r = 0; r < rows; r++) {
    const row = logits + (<usize>(r * stride) << 2);
    // Padding lanes take −∞, so they add e^−∞ = 0 to the sum.
    let largest = negativeInfinity;
    for (let c = 0; c < stride; c += 4) {
      const lane = i32x4.add(i32x4.splat(c), i32x4(0, 1, 2, 3));
      const value = v128.bitselect(v128.load(at(row, c)), negativeInfinity, i32x4.lt_s(lane, i32x4.splat(classes)));
      v128.store(at(row, c), value);
      largest = f32x4.pmax(largest, value);
    }
    const top = f32x4.splat(horizontalMax(largest));
    const label = <i32>load<f32>(at(labels, r));
    // −ln p[label] = ln Σ e^(l − top) − (l[label] − top), exact even where e^(l[label] − top) underflows.
    const labelMargin = <f64>(load<f32>(at(row, label)) - f32x4.extract_lane(top, 0));
    let sums = ZERO;
    for (let c = 0; c < stride; c += 4) {
      const e = exp4(f32x4.sub(v128.load(at(row, c)), top));
      // exp4 clamps at −87: padding lanes are zeroed here instead.
      const lane = i32x4.add(i32x4.splat(c), i32x4(0, 1, 2, 3));
      const kept = v128.and(e, i32x4.lt_s(lane, i32x4.splat(classes)));
      v128.store(at(row, c), kept);
      sums = f32x4.add(sums, kept);
    }
    const sum = <f64>f32x4.extract_lane(sums, 0) + <f64>f32x4.extract_lane(sums, 1) + <f64>f32x4.extract_lane(sums, 2) + <f64>f32x4.extract_lane(sums, 3);
    loss += log64(sum) - labelMargin;
    const factor = f32x4.splat(<f32>(1 / sum) * scale);
    for (let c = 0; c < stride; c += 4) v128.store(at(row, c), f32x4.mul(v128.load(at(row, c)), factor));
    store<f32>(at(row, label), load<f32>(at(row, label)) - scale);
  }
  return loss;
}

/**
 * One epoch of dual coordinate descent for a one-vs-rest linear SVM (src/lib/probes/svm.ts, which
 * states the method): x [rows, cols] float32; order: the rows' visiting order (i32); y: ±1 per row
 * (f32); alpha and squaredNorm per row and w (cols + 1, the bias last) in f64. Returns the
 * epoch's largest |projected gradient|.
 */
export function svmEpoch(x: usize, cols: i32, order: usize, rows: i32, y: usize, alpha: usize, squaredNorm: usize, w: usize, c: f64): f64 {
  let largestGap: f64 = 0;
  const bias = w + (<usize>cols << 3);
  for (let i = 0; i < rows; i++) {
    const r = load<i32>(order + (<usize>i << 2));
    const row = x + (<usize>(r * cols) << 2);
    const label = <f64>load<f32>(at(y, r));
    let sums = f64x2.splat(0);
    let f = 0;
    for (; f + 2 <= cols; f += 2) sums = f64x2.add(sums, f64x2.mul(v128.load(w + (<usize>f << 3)), f64x2.promote_low_f32x4(v128.load64_zero(at(row, f)))));
    let margin = load<f64>(bias) + f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
    for (; f < cols; f++) margin += load<f64>(w + (<usize>f << 3)) * <f64>load<f32>(at(row, f));
    const gradient = label * margin - 1;
    const a = load<f64>(alpha + (<usize>r << 3));
    // The projected gradient: 0 where the box constraint 0 ≤ α ≤ C stops the move.
    const projected = a == 0 ? min(gradient, 0) : a == c ? max(gradient, 0) : gradient;
    largestGap = max(largestGap, abs(projected));
    if (projected == 0) continue;
    const updated = min(max(a - gradient / load<f64>(squaredNorm + (<usize>r << 3)), 0), c);
    const change = (updated - a) * label;
    store<f64>(alpha + (<usize>r << 3), updated);
    const step = f64x2.splat(change);
    f = 0;
    for (; f + 2 <= cols; f += 2) {
      const p = w + (<usize>f << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.mul(step, f64x2.promote_low_f32x4(v128.load64_zero(at(row, f))))));
    }
    for (; f < cols; f++) store<f64>(w + (<usize>f << 3), load<f64>(w + (<usize>f << 3)) + change * <f64>load<f32>(at(row, f)));
    store<f64>(bias, load<f64>(bias) + change);
  }
  return largestGap;
}

@inline function sumLanes64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * The exact t-SNE gradient of src/lib/analysis/embeddings/tsne.ts (computeGradient, which states
 * the math) over p [n, n] and y (x coordinates, then y coordinates), all f64: out gets the
 * gradient, repulse is scratch (2n each). Two pairs at a time; returns Z.
 */
export function tsneGradient(p: usize, y: usize, n: i32, lying: f64, out: usize, repulse: usize): f64 {
  memory.fill(out, 0, <usize>n << 4);
  memory.fill(repulse, 0, <usize>n << 4);
  const second: usize = <usize>n << 3;
  const one = f64x2.splat(1);
  let zs = f64x2.splat(0);
  let z: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f64>(y + (<usize>i << 3));
    const yi = load<f64>(y + second + (<usize>i << 3));
    const xv = f64x2.splat(xi);
    const yv = f64x2.splat(yi);
    const row = p + (<usize>i * <usize>n << 3);
    let ax = f64x2.splat(0);
    let ay = f64x2.splat(0);
    let rx = f64x2.splat(0);
    let ry = f64x2.splat(0);
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      const at0 = <usize>j << 3;
      const dx = f64x2.sub(xv, v128.load(y + at0));
      const dy = f64x2.sub(yv, v128.load(y + second + at0));
      const w = f64x2.div(one, f64x2.add(one, f64x2.add(f64x2.mul(dx, dx), f64x2.mul(dy, dy))));
      zs = f64x2.add(zs, w);
      const pw = f64x2.mul(v128.load(row + at0), w);
      const ww = f64x2.mul(w, w);
      const pdx = f64x2.mul(pw, dx);
      const pdy = f64x2.mul(pw, dy);
      const wdx = f64x2.mul(ww, dx);
      const wdy = f64x2.mul(ww, dy);
      ax = f64x2.add(ax, pdx);
      ay = f64x2.add(ay, pdy);
      rx = f64x2.add(rx, wdx);
      ry = f64x2.add(ry, wdy);
      v128.store(out + at0, f64x2.sub(v128.load(out + at0), pdx));
      v128.store(out + second + at0, f64x2.sub(v128.load(out + second + at0), pdy));
      v128.store(repulse + at0, f64x2.sub(v128.load(repulse + at0), wdx));
      v128.store(repulse + second + at0, f64x2.sub(v128.load(repulse + second + at0), wdy));
    }
    let sx = sumLanes64(ax);
    let sy = sumLanes64(ay);
    let tx = sumLanes64(rx);
    let ty = sumLanes64(ry);
    for (; j < n; j++) {
      const at0 = <usize>j << 3;
      const dx = xi - load<f64>(y + at0);
      const dy = yi - load<f64>(y + second + at0);
      const w = 1 / (1 + dx * dx + dy * dy);
      z += w;
      const pw = load<f64>(row + at0) * w;
      const ww = w * w;
      sx += pw * dx;
      sy += pw * dy;
      tx += ww * dx;
      ty += ww * dy;
      store<f64>(out + at0, load<f64>(out + at0) - pw * dx);
      store<f64>(out + second + at0, load<f64>(out + second + at0) - pw * dy);
      store<f64>(repulse + at0, load<f64>(repulse + at0) - ww * dx);
      store<f64>(repulse + second + at0, load<f64>(repulse + second + at0) - ww * dy);
    }
    const ai = <usize>i << 3;
    store<f64>(out + ai, load<f64>(out + ai) + sx);
    store<f64>(out + second + ai, load<f64>(out + second + ai) + sy);
    store<f64>(repulse + ai, load<f64>(repulse + ai) + tx);
    store<f64>(repulse + second + ai, load<f64>(repulse + second + ai) + ty);
  }
  // Each pair was counted once; Z sums over ordered pairs.
  z = 2 * (z + sumLanes64(zs));
  const inverseZ = 1 / z;
  for (let k = 0; k < 2 * n; k++) {
    const at0 = <usize>k << 3;
    store<f64>(out + at0, 4 * (lying * load<f64>(out + at0) - load<f64>(repulse + at0) * inverseZ));
  }
  return z;
}

/**
 * AuxK's selection (src/lib/sae/train-step.ts' auxK): in each row of pre [rows, cols], the k
 * largest pre-activations among the dead latents (deadCount i32 indices at `dead`), taken as they
 * are, ties with the k-th kept: mask = 1 there and aux = pre, both 0 elsewhere.
 * scratch: deadCount floats.
 */
export function keepTopKOfDead(pre: usize, dead: usize, deadCount: i32, rows: i32, cols: i32, k: i32, aux: usize, mask: usize, scratch: usize): void {
  memory.fill(aux, 0, <usize>(rows * cols) << 2);
  memory.fill(mask, 0, <usize>(rows * cols) << 2);
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols) << 2;
    for (let i = 0; i < deadCount; i++) store<f32>(at(scratch, i), load<f32>(pre + row + (<usize>load<i32>(dead + (<usize>i << 2)) << 2)));
    const kth = selectInPlace(scratch, deadCount, k);
    for (let i = 0; i < deadCount; i++) {
      const j = <usize>load<i32>(dead + (<usize>i << 2)) << 2;
      const value = load<f32>(pre + row + j);
      if (value >= kth) {
        store<f32>(mask + row + j, 1);
        store<f32>(aux + row + j, value);
      }
    }
  }
}

/** Plain SGD as tfjs's optimizer does it: w = w + (−rate)·g, n values. */
export function sgdStep(w: usize, g: usize, n: i32, rate: f32): void {
  const step = f32x4.splat(-rate);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(w, i), f32x4.add(v128.load(at(w, i)), f32x4.mul(step, v128.load(at(g, i)))));
  for (; i < n; i++) store<f32>(at(w, i), load<f32>(at(w, i)) + -rate * load<f32>(at(g, i)));
}

// Products with a sparse operand: TopK codes and AuxK's codes are zero but for k of each row's
// latents, so these touch only the nonzero entries (found four at a time) and do k/dSae of a dense
// product's work. Each output is the same sum as the dense product's, over its nonzero terms.

/** out[r, :] (+)= a[r, j] · w[j, :] over the nonzero a[r, j]; a [rows, inner], w [inner, cols], out [rows, cols]. */
export function sparseRowsTimes(a: usize, w: usize, out: usize, rows: i32, inner: i32, cols: i32, accumulate: i32): void {
  if (accumulate == 0) memory.fill(out, 0, <usize>(rows * cols) << 2);
  for (let r = 0; r < rows; r++) {
    const aRow = a + (<usize>(r * inner) << 2);
    const outRow = out + (<usize>(r * cols) << 2);
    for (let q = nextNonzero(aRow, 0, inner); q < inner; q = nextNonzero(aRow, q + 1, inner)) {
      axpy(outRow, w + (<usize>(q * cols) << 2), cols, load<f32>(at(aRow, q)));
    }
  }
}

/** out[j, :] (+)= Σ_r a[r, j] · g[r, :] over the nonzero a[r, j] (aᵀ·g); a [rows, inner], g [rows, cols], out [inner, cols]. */
export function sparseTransposeTimes(a: usize, g: usize, out: usize, rows: i32, inner: i32, cols: i32, accumulate: i32): void {
  if (accumulate == 0) memory.fill(out, 0, <usize>(inner * cols) << 2);
  for (let r = 0; r < rows; r++) {
    const aRow = a + (<usize>(r * inner) << 2);
    const gRow = g + (<usize>(r * cols) << 2);
    for (let q = nextNonzero(aRow, 0, inner); q < inner; q = nextNonzero(aRow, q + 1, inner)) {
      axpy(out + (<usize>(q * cols) << 2), gRow, cols, load<f32>(at(aRow, q)));
    }
  }
}

/** out[r, j] (+)= g[r, :] · w[j, :] where mask[r, j] ≠ 0 (else 0, or left); g [rows, cols], w [inner, cols], mask and out [rows, inner]. */
export function maskedRowDots(g: usize, w: usize, mask: usize, out: usize, rows: i32, inner: i32, cols: i32, accumulate: i32): void {
  if (accumulate == 0) memory.fill(out, 0, <usize>(rows * inner) << 2);
  for (let r = 0; r < rows; r++) {
    const mRow = mask + (<usize>(r * inner) << 2);
    const gRow = g + (<usize>(r * cols) << 2);
    for (let q = nextNonzero(mRow, 0, inner); q < inner; q = nextNonzero(mRow, q + 1, inner)) {
      const p = out + (<usize>(r * inner + q) << 2);
      store<f32>(p, (accumulate == 0 ? 0 : load<f32>(p)) + dot(gRow, w + (<usize>(q * cols) << 2), cols));
    }
  }
}

/** The first j ≥ from with row[j] ≠ 0, or n: skips whole vectors of zeros four at a time. */
@inline function nextNonzero(row: usize, from: i32, n: i32): i32 {
  let j = from;
  while (j < n) {
    if ((j & 3) == 0 && j + 4 <= n && !v128.any_true(f32x4.ne(v128.load(at(row, j)), ZERO))) {
      j += 4;
      continue;
    }
    if (load<f32>(at(row, j)) != 0) return j;
    j++;
  }
  return n;
}

/** y[0..n) += factor · x[0..n). */
@inline function axpy(y: usize, x: usize, n: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  let c = 0;
  for (; c + 4 <= n; c += 4) v128.store(at(y, c), f32x4.add(v128.load(at(y, c)), f32x4.mul(f, v128.load(at(x, c)))));
  for (; c < n; c++) store<f32>(at(y, c), load<f32>(at(y, c)) + factor * load<f32>(at(x, c)));
}

/** Σ a[c] · b[c] over c < n. */
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let sums = ZERO;
  let c = 0;
  for (; c + 4 <= n; c += 4) sums = f32x4.add(sums, f32x4.mul(v128.load(at(a, c)), v128.load(at(b, c))));
  let sum = f32x4.extract_lane(sums, 0) + f32x4.extract_lane(sums, 1) + f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3);
  for (; c < n; c++) sum += load<f32>(at(a, c)) * load<f32>(at(b, c));
  return sum;
}
