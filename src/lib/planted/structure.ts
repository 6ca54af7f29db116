// Who is whose parent, who shares a copula group, and how often each planted feature fires: the
// part of the generator that involves no randomness, shared by plantFeatures and describeGenerator
// so that what is described is exactly what is sampled.
import type { PlantedSpec } from "./spec.js";
import { CORRELATION_GROUP_SIZE } from "./spec.js";
import { normalUpperQuantile } from "./normal.js";

export interface FeatureStructure {
  /** parentOf[i] = i's parent, or −1. Parents are 0 .. P − 1; parent k's children P + k·C .. P + k·C + C − 1. */
  parentOf: Int32Array;
  /** groupOf[i] = i's copula group; groups never straddle the parent, child and free blocks. */
  groupOf: Int32Array;
  /** groupStart[g] .. groupStart[g + 1] − 1 are group g's features (consecutive, increasing). */
  groupStart: Int32Array;
  /** Base Zipf weights w_i = (i + 1)^-zipfExponent. */
  weights: Float64Array;
  /** The scale c with mean_i p_i = firing.meanProbability. */
  scale: number;
  /** q_i = min(1, c·w_i): for a child, P(fires | parent fires); for the others, P(fires). */
  conditionalProbabilities: Float64Array;
  /** p_i, the marginal: q_i, or q_parent · q_i for a child. */
  firingProbabilities: Float64Array;
  /** t_i with P(N(0, 1) > t_i) = q_i (−Infinity when q_i = 1): the copula threshold. */
  thresholds: Float64Array;
}

function layout(spec: PlantedSpec): Pick<FeatureStructure, "parentOf" | "groupOf" | "groupStart"> {
  const { n } = spec;
  const { parents, childrenPerParent } = spec.hierarchy;
  const parentOf = new Int32Array(n).fill(-1);
  for (let k = 0; k < parents; k++) for (let j = 0; j < childrenPerParent; j++) parentOf[parents + k * childrenPerParent + j] = k;
  const blocks = [0, parents, parents + parents * childrenPerParent, n];
  const groupOf = new Int32Array(n);
  const starts: number[] = [];
  for (let b = 0; b < 3; b++) {
    for (let start = blocks[b]; start < blocks[b + 1]; start += CORRELATION_GROUP_SIZE) {
      const end = Math.min(start + CORRELATION_GROUP_SIZE, blocks[b + 1]);
      for (let i = start; i < end; i++) groupOf[i] = starts.length;
      starts.push(start);
    }
  }
  starts.push(n);
  return { parentOf, groupOf, groupStart: Int32Array.from(starts) };
}

/** Mean of the marginals for scale c; nondecreasing and continuous in c. */
function meanMarginal(c: number, weights: Float64Array, parentOf: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const q = Math.min(1, c * weights[i]);
    sum += parentOf[i] < 0 ? q : q * Math.min(1, c * weights[parentOf[i]]);
  }
  return sum / weights.length;
}

/** The layout, the calibrated probabilities and the copula thresholds of a (validated) spec. */
export function featureStructure(spec: PlantedSpec): FeatureStructure {
  const { n } = spec;
  const exponent = spec.firing.zipfExponent ?? 0;
  const target = spec.firing.meanProbability;
  const { parentOf, groupOf, groupStart } = layout(spec);
  const weights = new Float64Array(n);
  let minWeight = Infinity;
  for (let i = 0; i < n; i++) {
    weights[i] = Math.pow(i + 1, -exponent);
    minWeight = Math.min(minWeight, weights[i]);
  }
  // At c = 1 / min w every q is 1 and the mean is 1 ≥ target; at c = 0 it is 0 < target.
  let low = 0;
  let high = 1 / minWeight;
  if (target >= 1) low = high;
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = 0.5 * (low + high);
    if (meanMarginal(mid, weights, parentOf) < target) low = mid;
    else high = mid;
  }
  const scale = target >= 1 ? high : 0.5 * (low + high);
  const conditionalProbabilities = new Float64Array(n);
  const firingProbabilities = new Float64Array(n);
  const thresholds = new Float64Array(n);
  for (let i = 0; i < n; i++) conditionalProbabilities[i] = Math.min(1, scale * weights[i]);
  for (let i = 0; i < n; i++) {
    const parent = parentOf[i];
    firingProbabilities[i] = parent < 0 ? conditionalProbabilities[i] : conditionalProbabilities[parent] * conditionalProbabilities[i];
    thresholds[i] = normalUpperQuantile(conditionalProbabilities[i]);
  }
  return { parentOf, groupOf, groupStart, weights, scale, conditionalProbabilities, firingProbabilities, thresholds };
}
