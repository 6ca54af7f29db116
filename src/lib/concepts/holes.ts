// Closed loops of the digit. The digit is taken as 8-connected (diagonal steps join strokes), so
// the background must be 4-connected for the two to be consistent (otherwise a diagonal stroke
// would both join and leak). A hole is a 4-connected region of background that does not reach the
// grid's frame. This equals components − Euler number of the digit; counting regions directly
// needs no Euler bookkeeping.
import type { Grid } from "./grid.js";

/** Number of holes of grid.binary. */
export function countHoles(grid: Grid): number {
  const { stride, binary, queue, marks } = grid;
  const cells = stride * stride;
  marks.fill(0);
  const steps = [-stride, 1, stride, -1];
  // Flood the background from one frame pixel (the frame is all background and 4-connected).
  const flood = (seed: number) => {
    marks[seed] = 1;
    queue[0] = seed;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const p = queue[head++];
      for (let k = 0; k < 4; k++) {
        const q = p + steps[k];
        if (q >= 0 && q < cells && !binary[q] && !marks[q]) {
          marks[q] = 1;
          queue[tail++] = q;
        }
      }
    }
  };
  flood(0);
  let holes = 0;
  for (let p = stride + 1; p < cells - stride - 1; p++) {
    if (!binary[p] && !marks[p]) {
      holes++;
      flood(p);
    }
  }
  return holes;
}
