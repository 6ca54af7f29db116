// Spur pruning. Thinning turns every bump of a stroke's outline into a short side branch, so
// untouched skeletons of handwritten digits have endpoints and branch points that no one would
// see in the digit (a closed 0 with a whisker). A branch from an endpoint to a branch point is
// dropped when it is shorter than the stroke's half-width at that branch point (the distance to
// the background there) times SPUR_FACTOR: such a branch ends inside, or barely outside, the
// stroke it leaves, so it is a bump, not a stroke. Longer ends (a 7's serif, a 9's tail) stay.
import { POPCOUNT, neighbourMask, neighbourOffsets, type Grid } from "./grid.js";

/** How far beyond the stroke's half-width a branch must reach to count as a stroke. */
export const SPUR_FACTOR = 1.5;

/**
 * Removes the spurs of grid.skeleton (pixels listed in grid.active, `count` of them; needs
 * grid.distance2) and returns the number of skeleton pixels left, still listed in grid.active.
 */
export function pruneSpurs(grid: Grid, count: number): number {
  const { stride, skeleton, active, queue, distance2 } = grid;
  const offsets = neighbourOffsets(stride);
  let removed = 0;
  for (let i = 0; i < count; i++) {
    const end = active[i];
    if (!skeleton[end] || POPCOUNT[neighbourMask(skeleton, end, stride)] !== 1) continue;
    // Walk from the end along the branch until a branch point, collecting the branch in `queue`.
    let previous = -1;
    let current = end;
    let steps = 0;
    let length = 0;
    let junction = -1;
    for (;;) {
      const neighbours = POPCOUNT[neighbourMask(skeleton, current, stride)];
      if (neighbours >= 3) {
        junction = current;
        break;
      }
      if (neighbours !== 1 && neighbours !== 2) break; // an isolated pixel
      if (neighbours === 1 && current !== end) break; // the other end of a lone stroke
      queue[steps++] = current;
      let next = -1;
      for (let k = 0; k < 8; k++) {
        const q = current + offsets[k];
        if (q !== previous && skeleton[q]) {
          next = q;
          length += k & 1 ? Math.SQRT2 : 1;
          break;
        }
      }
      if (next === -1) break;
      previous = current;
      current = next;
      // No spur is longer than the widest stroke: stop walking a long branch early.
      if (length > SPUR_FACTOR * grid.size) break;
    }
    if (junction === -1 || length >= SPUR_FACTOR * Math.sqrt(distance2[junction])) continue;
    for (let s = 0; s < steps; s++) skeleton[queue[s]] = 0;
    removed += steps;
  }
  if (removed === 0) return count;
  let kept = 0;
  for (let i = 0; i < count; i++) if (skeleton[active[i]]) active[kept++] = active[i];
  return kept;
}
