// Which units never (or almost never) fire on a set of examples.
import type { ActivationMatrix } from "../types.js";
import { assertActivationMatrix } from "../validate.js";

export type UnitStatus = "dead" | "nearly-dead" | "alive";

/** Fraction of examples on which each unit's activation is strictly above `threshold`. */
export function activeFraction(m: ActivationMatrix, threshold = 0): Float64Array {
  assertActivationMatrix(m);
  const { rows, cols, data } = m;
  if (rows === 0) throw new Error("activeFraction: expected at least one example (rows > 0), found 0");
  const active = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) if (data[o + c] > threshold) active[c]++;
  }
  for (let c = 0; c < cols; c++) active[c] /= rows;
  return active;
}

export interface ClassifyUnitsOptions {
  /** A unit active on at least one example but on fewer than this fraction is "nearly-dead". */
  nearlyDeadBelow?: number;
  /** Activation above which a unit counts as active (default 0, right for ReLU). */
  threshold?: number;
}

export interface UnitClassification {
  status: UnitStatus[];
  activeFraction: Float64Array;
  dead: number;
  nearlyDead: number;
  alive: number;
}

/**
 * "dead": never active on the set; "nearly-dead": active on at least one example but on a
 * fraction below `nearlyDeadBelow` (default 1%); "alive": everything else.
 */
export function classifyUnits(m: ActivationMatrix, options: ClassifyUnitsOptions = {}): UnitClassification {
  const { nearlyDeadBelow = 0.01, threshold = 0 } = options;
  if (!(nearlyDeadBelow >= 0 && nearlyDeadBelow <= 1)) {
    throw new Error(`classifyUnits nearlyDeadBelow: expected a fraction in [0, 1], found ${nearlyDeadBelow}`);
  }
  const fractions = activeFraction(m, threshold);
  const status: UnitStatus[] = new Array(m.cols);
  let dead = 0;
  let nearlyDead = 0;
  for (let c = 0; c < m.cols; c++) {
    const f = fractions[c];
    if (f === 0) {
      status[c] = "dead";
      dead++;
    } else if (f < nearlyDeadBelow) {
      status[c] = "nearly-dead";
      nearlyDead++;
    } else {
      status[c] = "alive";
    }
  }
  return { status, activeFraction: fractions, dead, nearlyDead, alive: m.cols - dead - nearlyDead };
}
