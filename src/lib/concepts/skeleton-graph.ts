// What the skeleton says about the strokes: their length, their thickness along the way, and
// where they end or branch. The skeleton is 8-thin (thinning.ts), so a pixel's skeleton
// neighbours are the strokes leaving it: 1 at an end, 2 along a stroke, 3 or more at a branch.
import { SCALE, POPCOUNT, neighbourMask, neighbourOffsets, type Grid } from "./grid.js";

export interface StrokeMeasures {
  length: number;
  thickness: number;
  endpoints: number;
  junctions: number;
}

/**
 * Measures of grid.skeleton, whose `count` pixels grid.active lists (needs grid.distance2).
 * Length counts every pair of neighbouring skeleton pixels once, 1 for a horizontal or vertical
 * step and √2 for a diagonal one (Morpho-MNIST's stroke length). Thickness is 2 × the mean
 * distance to the background over the skeleton (Morpho-MNIST's mean thickness: the skeleton runs
 * along the middle, half a stroke's width from either edge). Both are divided back by SCALE.
 * Neighbouring branch pixels form one junction: 8-connected clusters of them are counted.
 */
export function strokeMeasures(grid: Grid, count: number): StrokeMeasures {
  if (count === 0) return { length: 0, thickness: NaN, endpoints: 0, junctions: 0 };
  const { stride, skeleton, active, distance2, marks, queue } = grid;
  const offsets = neighbourOffsets(stride);
  let length = 0;
  let distance = 0;
  let endpoints = 0;
  marks.fill(0);
  for (let i = 0; i < count; i++) {
    const p = active[i];
    // E and S count 1, SE and SW √2: each neighbouring pair once, from its upper-left pixel.
    length += skeleton[p + 1] + skeleton[p + stride] + Math.SQRT2 * (skeleton[p + stride + 1] + skeleton[p + stride - 1]);
    distance += Math.sqrt(distance2[p]);
    const neighbours = POPCOUNT[neighbourMask(skeleton, p, stride)];
    if (neighbours === 1) endpoints++;
    else if (neighbours >= 3) marks[p] = 1;
  }
  let junctions = 0;
  for (let i = 0; i < count; i++) {
    const seed = active[i];
    if (marks[seed] !== 1) continue;
    junctions++;
    marks[seed] = 2;
    queue[0] = seed;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const p = queue[head++];
      for (let k = 0; k < 8; k++) {
        const q = p + offsets[k];
        if (marks[q] === 1) {
          marks[q] = 2;
          queue[tail++] = q;
        }
      }
    }
  }
  return { length: length / SCALE, thickness: (2 * distance) / count / SCALE, endpoints, junctions };
}
