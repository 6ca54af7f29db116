// Spearman rank correlation, pooled and within class. Within class is the one that matters for
// concepts: digits differ in slant, thickness and size, so a unit that merely tells 1 from 0
// correlates with slant over the pooled images without tracking slant at all. Correlating inside
// each class and averaging asks "does this unit follow slant among 7s, among 3s, ...", which a
// class detector cannot fake.
import { assertFiniteValues, assertLabels, assertLength, assertPositiveInteger } from "../analysis/validate.js";
import { averageRanks } from "./ranks.js";

/** Classes with fewer usable images than this are skipped by withinClassSpearman (default). */
export const MIN_CLASS_IMAGES = 10;

/**
 * Spearman's ρ of `a` and `b`: the Pearson correlation of their average ranks (ties share the
 * mean rank). Pairs where either value is NaN are left out. NaN when fewer than 2 pairs remain
 * or either side is constant over them.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertLength(b, a.length, "spearman: b");
  const keep: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) keep.push(i);
  const x = Float64Array.from(keep, (i) => a[i]);
  const y = Float64Array.from(keep, (i) => b[i]);
  assertFiniteValues(x, "spearman: a");
  assertFiniteValues(y, "spearman: b");
  return pearsonOfRanks(averageRanks(x), averageRanks(y));
}

/**
 * Pearson correlation of two rank vectors over the same items (ranks 1..n, mean (n+1)/2);
 * NaN when n < 2 or either is constant.
 */
export function pearsonOfRanks(rx: ArrayLike<number>, ry: ArrayLike<number>): number {
  const n = rx.length;
  if (n < 2) return NaN;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean;
    const dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

export interface WithinClassSpearman {
  /** The mean of the counted classes' ρ (unweighted: every digit counts alike); NaN when none counts. */
  mean: number;
  /** ρ inside each class; NaN for a class that was skipped. */
  perClass: Float64Array;
  /** How many classes entered the mean. */
  counted: number;
}

export interface WithinClassOptions {
  /** Skip a class with fewer usable images (concept not NaN) than this; default MIN_CLASS_IMAGES. */
  minCount?: number;
}

/**
 * Spearman's ρ of a unit's values and a concept's inside each class, and their mean over the
 * classes that count: those with at least `minCount` images whose concept value is not NaN and
 * on which neither the unit nor the concept is constant.
 */
export function withinClassSpearman(
  unitValues: ArrayLike<number>,
  conceptValues: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
  options: WithinClassOptions = {},
): WithinClassSpearman {
  const n = unitValues.length;
  assertLength(conceptValues, n, "withinClassSpearman: conceptValues");
  assertLabels(labels, n, classes, "withinClassSpearman: labels");
  assertFiniteValues(unitValues, "withinClassSpearman: unitValues");
  const minCount = options.minCount ?? MIN_CLASS_IMAGES;
  assertPositiveInteger(minCount, "withinClassSpearman: minCount");
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) if (!Number.isNaN(conceptValues[i])) members[labels[i]].push(i);
  const perClass = new Float64Array(classes).fill(NaN);
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < classes; c++) {
    const rows = members[c];
    if (rows.length < minCount) continue;
    const rho = spearman(
      Float64Array.from(rows, (i) => unitValues[i]),
      Float64Array.from(rows, (i) => conceptValues[i]),
    );
    perClass[c] = rho;
    if (Number.isNaN(rho)) continue;
    sum += rho;
    counted++;
  }
  return { mean: counted > 0 ? sum / counted : NaN, perClass, counted };
}
