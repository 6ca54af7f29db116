// The digit's skeleton: Zhang–Suen thinning ("A fast parallel algorithm for thinning digital
// patterns", CACM 1984), then a pass that removes the redundant pixels it leaves, so that the
// skeleton is 8-thin (a pixel's skeleton neighbours are its neighbours along the stroke) and
// neighbour counts give endpoints and branch points directly.
//
// Morpho-MNIST takes scikit-image's medial_axis instead. Both run along the middle of a stroke, so
// length and thickness agree on strokes, but they differ on blobs: the medial axis of a filled
// square is its two diagonals, while thinning shrinks it to its centre (see the tests).
import { POPCOUNT, neighbourMask, neighbourOffsets, type Grid } from "./grid.js";

/** Number of 8-connected groups among the set neighbours of a mask (0 for an isolated pixel). */
export const RING_COMPONENTS: Uint8Array = (() => {
  const rows = [-1, -1, 0, 1, 1, 1, 0, -1];
  const cols = [0, 1, 1, 1, 0, -1, -1, -1];
  const table = new Uint8Array(256);
  const parent = new Int32Array(8);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let mask = 0; mask < 256; mask++) {
    for (let i = 0; i < 8; i++) parent[i] = i;
    for (let i = 0; i < 8; i++) {
      for (let j = i + 1; j < 8; j++) {
        const set = (mask >> i) & (mask >> j) & 1;
        if (set && Math.abs(rows[i] - rows[j]) <= 1 && Math.abs(cols[i] - cols[j]) <= 1) parent[find(i)] = find(j);
      }
    }
    let groups = 0;
    for (let i = 0; i < 8; i++) if ((mask >> i) & 1 && find(i) === i) groups++;
    table[mask] = groups;
  }
  return table;
})();

const bit = (mask: number, i: number) => (mask >> i) & 1;

/** Zhang–Suen's deletion tests for its two sub-iterations, by neighbourhood mask (bit 0 = P2 = N … bit 7 = P9 = NW). */
const [DELETE_FIRST, DELETE_SECOND] = (() => {
  const first = new Uint8Array(256);
  const second = new Uint8Array(256);
  for (let mask = 0; mask < 256; mask++) {
    const b = POPCOUNT[mask];
    let a = 0; // 0 → 1 transitions in P2, P3, …, P9, P2
    for (let i = 0; i < 8; i++) if (!bit(mask, i) && bit(mask, (i + 1) % 8)) a++;
    if (b < 2 || b > 6 || a !== 1) continue;
    const [p2, p4, p6, p8] = [bit(mask, 0), bit(mask, 2), bit(mask, 4), bit(mask, 6)];
    first[mask] = !(p2 && p4 && p6) && !(p4 && p6 && p8) ? 1 : 0;
    second[mask] = !(p2 && p4 && p8) && !(p2 && p6 && p8) ? 1 : 0;
  }
  return [first, second];
})();

/**
 * A redundant skeleton pixel: it has two or more neighbours, they form one 8-connected group,
 * and the background around it touches it in one 4-connected piece (so removing it neither cuts
 * the skeleton, nor shortens an end, nor opens or closes a hole: a simple point). Zhang–Suen
 * leaves such pixels at staircase corners and branch points; without them every pixel's skeleton
 * neighbours are the strokes leaving it.
 */
export const REDUNDANT: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let mask = 0; mask < 256; mask++) {
    if (POPCOUNT[mask] < 2 || RING_COMPONENTS[mask] !== 1) continue;
    // Background runs around the ring (consecutive ring positions are 4-adjacent) that contain an
    // edge neighbour (N, E, S, W: even positions), i.e. that touch the pixel itself.
    let touching = 0;
    for (let i = 0; i < 8; i++) {
      if (bit(mask, i) || !bit(mask, (i + 7) % 8)) continue; // start of a background run
      let edge = false;
      for (let j = i; !bit(mask, j % 8) && j < i + 8; j++) if (j % 2 === 0) edge = true;
      if (edge) touching++;
    }
    table[mask] = touching === 1 ? 1 : 0;
  }
  return table;
})();

/** Drops the pixels of grid.skeleton that the deletion table marks, all at once; returns how many. */
function subIteration(grid: Grid, count: number, table: Uint8Array): { count: number; deleted: number } {
  const { stride, skeleton, active, queue } = grid;
  let deleted = 0;
  for (let i = 0; i < count; i++) {
    const p = active[i];
    if (table[neighbourMask(skeleton, p, stride)]) queue[deleted++] = p;
  }
  for (let i = 0; i < deleted; i++) skeleton[queue[i]] = 0;
  let kept = 0;
  if (deleted > 0) for (let i = 0; i < count; i++) if (skeleton[active[i]]) active[kept++] = active[i];
  return { count: deleted > 0 ? kept : count, deleted };
}

/**
 * Every 8-connected component of the digit keeps at least one skeleton pixel: thinning erases a
 * 2×2 blob entirely, and a speck of ink is still a stroke. Such a component gets its pixel
 * farthest from the background.
 */
function keepEveryComponent(grid: Grid, pixelCount: number, skeletonCount: number): number {
  const { stride, binary, skeleton, pixels, queue, marks, distance2, active } = grid;
  const offsets = neighbourOffsets(stride);
  marks.fill(0);
  let count = skeletonCount;
  for (let i = 0; i < pixelCount; i++) {
    const seed = pixels[i];
    if (marks[seed]) continue;
    marks[seed] = 1;
    queue[0] = seed;
    let head = 0;
    let tail = 1;
    let hasSkeleton = false;
    let deepest = seed;
    while (head < tail) {
      const p = queue[head++];
      if (skeleton[p]) hasSkeleton = true;
      if (distance2[p] > distance2[deepest]) deepest = p;
      for (let k = 0; k < 8; k++) {
        const q = p + offsets[k];
        if (binary[q] && !marks[q]) {
          marks[q] = 1;
          queue[tail++] = q;
        }
      }
    }
    if (!hasSkeleton) {
      skeleton[deepest] = 1;
      active[count++] = deepest;
    }
  }
  return count;
}

/**
 * Removes REDUNDANT pixels from grid.skeleton (its `count` pixels listed in grid.active), in
 * raster order with each removal seen by the next test, until none is left (a removal can make
 * a pixel already passed redundant); returns the number left, still listed in grid.active.
 */
export function removeRedundant(grid: Grid, count: number): number {
  const { stride, skeleton, active } = grid;
  for (;;) {
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const p = active[i];
      if (REDUNDANT[neighbourMask(skeleton, p, stride)]) skeleton[p] = 0;
      else active[kept++] = p;
    }
    const removed = count - kept;
    count = kept;
    if (removed === 0) return count;
  }
}

/**
 * Fills grid.skeleton with the skeleton of grid.binary (whose pixels grid.pixels lists; needs
 * grid.distance2) and lists its pixels in grid.active; returns their number.
 */
export function skeletonize(grid: Grid, pixelCount: number): number {
  const { stride, binary, skeleton, pixels, active } = grid;
  skeleton.set(binary);
  active.set(pixels.subarray(0, pixelCount));
  let count = pixelCount;
  for (;;) {
    const first = subIteration(grid, count, DELETE_FIRST);
    const second = subIteration(grid, first.count, DELETE_SECOND);
    count = second.count;
    if (first.deleted + second.deleted === 0) break;
  }
  count = removeRedundant(grid, count);
  return keepEveryComponent(grid, pixelCount, count);
}
