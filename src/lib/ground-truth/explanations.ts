// Each unit's best single explanation among the classes and the measured concepts, on one scale,
// so that a layer's neurons, its PCA/ICA components and SAE features can be compared by how
// many of their units some simple thing explains, and what kind of thing.
//
// Candidates, tried for every unit:
//   class             "unit active" against "label = c" over all images (AUROC)
//   concept (binary)  "unit active" against a binary concept over all images (AUROC)
//   concept (cont.)   the unit's within-class Spearman ρ with a continuous concept, averaged over
//                     the classes that count (see spearman.ts); when only one class counts, it is
//                     reported as "concept-in-class" for that class, since that is all it shows
//   concept-in-class  a binary concept against the unit inside one class's images (AUROC), when
//                     both sides have at least `minCount` images there
//
// The score scale, one for every kind, on [0, 1]: 0 = no relation, 1 = perfect.
//   AUROC-based: the rank-biserial correlation 2·AUROC − 1 (Somers' D of the unit against the
//     label), taken one-sided: max(0, 2·AUROC − 1). One-sided because a unit "means" a class only
//     when it is active on it; a ReLU neuron or SAE feature that is quiet on the 3s does not mean
//     "3". With `direction: "either"` (PCA or ICA components, whose sign is arbitrary) it is
//     |2·AUROC − 1| and `direction` says which sign won.
//   Continuous concepts: |mean within-class ρ|, both signs: a unit that falls as slant rises
//     tracks slant as much as one that rises with it (a quantity has no "absent" side).
// Both are rank correlations in [−1, 1] folded onto [0, 1], which is why they can share one
// threshold. They are not the same statistic: Spearman's ρ of a perfect detector against a
// balanced binary label is √3/2 ≈ 0.87, not 1, so the concept-in-class and class scores read a
// little higher than continuous ones at equal "perfection"; read the per-kind counts with that.
// Ties between candidates go to the first in the order above (simpler explanations first).
//
// F1 is the best F1 over thresholds of the unit (best-f1.ts) for the winning AUROC-based
// candidate, inside the class for concept-in-class; NaN for continuous concepts (no binary
// target to detect).
//
// Dead units (constant over every image: an SAE latent that never fires, a neuron always 0) get
// kind "none" and score NaN. They are left out of medians, which describe the units that do
// something, but counted in the denominator of the share explained: a dictionary that lets half
// its latents die has explained that much less of its width.
//
// Cost: each unit's column is sorted once; its pooled ranks give every class and binary-concept
// AUROC in O(n), and its ranks within each class come from the same sort in O(n). Each concept
// is ranked within each class once for all units. A unit then costs O(n log n) + O(n · (classes +
// concepts)); a concept with NaN values in a class falls back to sorting the unit there.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations, assertLabels, assertLength, assertPositiveInteger } from "../analysis/validate.js";
import { median } from "../analysis/predictions/model-comparison.js";
import { aurocFromRankSum } from "./auroc.js";
import { bestF1Sorted } from "./best-f1.js";
import { argsortAscending, averageRanks } from "./ranks.js";
import { MIN_CLASS_IMAGES, spearman } from "./spearman.js";
import type { BinaryConcept, ContinuousConcept } from "./types.js";

export type ExplanationKind = "class" | "concept" | "concept-in-class";

export interface UnitExplanation {
  unit: number;
  /** "none" for a dead unit (or one no candidate could be measured on). */
  kind: ExplanationKind | "none";
  /** The class's name for "class", the concept's name otherwise; "" for "none". */
  name: string;
  /** The class, for "class" and "concept-in-class". */
  classIndex?: number;
  /** On [0, 1] (see the header); NaN for "none". */
  score: number;
  /** Best F1 of thresholding the unit for the winning target; NaN for continuous concepts and "none". */
  f1: number;
  /** What `statistic` is. */
  measure: "auroc" | "within-class-spearman" | "none";
  /** The raw number behind the score: the AUROC, or the mean within-class ρ. */
  statistic: number;
  /** 1: high values of the unit go with the explanation; −1: low values (direction "either", or a falling ρ). */
  direction: 1 | -1;
  /** The best score of each kind (NaN where none could be measured), to see the runners-up. */
  bestByKind: Record<ExplanationKind, number>;
}

export interface ExplanationInput {
  /** One class per image (row), integers in [0, classes). */
  labels: ArrayLike<number>;
  classes: number;
  continuous?: readonly ContinuousConcept[];
  binary?: readonly BinaryConcept[];
  /** Names for the classes in explanations; default "0", "1", ... */
  classNames?: readonly string[];
}

export interface ExplanationOptions {
  /** "positive" (default): only high activations count, for ReLU neurons and SAE features; "either" for signed bases. */
  direction?: "positive" | "either";
  /** The fewest images a class (within-class ρ) or a side of a split (concept-in-class) must have; default 10. */
  minCount?: number;
}

/** A candidate's score and winning direction from an AUROC (see the header). */
export function aurocScore(auroc: number, direction: "positive" | "either" = "positive"): { score: number; direction: 1 | -1 } {
  if (Number.isNaN(auroc)) return { score: NaN, direction: 1 };
  const d = 2 * auroc - 1;
  if (direction === "either") return { score: Math.abs(d), direction: d < 0 ? -1 : 1 };
  return { score: Math.max(0, d), direction: 1 };
}

interface Candidate {
  kind: ExplanationKind;
  measure: "auroc" | "within-class-spearman";
  name: string;
  classIndex?: number;
  score: number;
  statistic: number;
  direction: 1 | -1;
  /** For AUROC candidates: which binary concept (−1: the class itself), to compute F1 afterwards. */
  binary: number;
}

/** Every unit's best explanation; see the header for the candidates and the scale. */
export function explainUnits(m: ActivationMatrix, input: ExplanationInput, options: ExplanationOptions = {}): UnitExplanation[] {
  assertActivationMatrix(m);
  assertFiniteActivations(m);
  const { labels, classes } = input;
  assertLabels(labels, m.rows, classes, "explainUnits: labels");
  const continuous = input.continuous ?? [];
  const binary = input.binary ?? [];
  continuous.forEach((c, j) => assertLength(c.values, m.rows, `explainUnits: continuous[${j}] (${c.name}).values`));
  binary.forEach((b, j) => assertLength(b.positive, m.rows, `explainUnits: binary[${j}] (${b.name}).positive`));
  const mode = options.direction ?? "positive";
  if (mode !== "positive" && mode !== "either") throw new Error(`explainUnits: direction must be "positive" or "either", found ${mode}`);
  const minCount = options.minCount ?? MIN_CLASS_IMAGES;
  assertPositiveInteger(minCount, "explainUnits: minCount");
  const className = (c: number) => input.classNames?.[c] ?? String(c);

  const layout = classLayout(labels, classes);
  const binaryStats = binary.map((b) => binaryLayout(b, layout));
  const continuousStats = continuous.map((c) => continuousLayout(c, layout, minCount));

  const n = m.rows;
  const { start, count, rowPos } = layout;
  const column = new Float64Array(n);
  const rankByClass = new Float64Array(n);
  const sortedByClass = new Uint32Array(n);
  const cursor = new Int32Array(classes);
  const unitSs = new Float64Array(classes);
  const classRankSum = new Float64Array(classes);
  const explanations: UnitExplanation[] = [];

  for (let u = 0; u < m.cols; u++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < n; r++) {
      const v = m.data[r * m.cols + u];
      column[r] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) {
      explanations.push(deadExplanation(u));
      continue;
    }
    const order = argsortAscending(column);
    const ranks = averageRanks(column, order);

    // Within-class ranks from the same sort: walking the pooled order and dealing rows out to
    // their classes leaves each class's rows in increasing order.
    cursor.set(start);
    for (let k = 0; k < n; k++) {
      const row = order[k];
      sortedByClass[cursor[labels[row]]++] = row;
    }
    for (let c = 0; c < classes; c++) {
      const s = start[c];
      const e = s + count[c];
      const mean = (count[c] + 1) / 2;
      let ss = 0;
      let k = s;
      while (k < e) {
        const value = column[sortedByClass[k]];
        let end = k + 1;
        while (end < e && column[sortedByClass[end]] === value) end++;
        const rank = (k - s + 1 + (end - s)) / 2;
        for (let q = k; q < end; q++) rankByClass[rowPos[sortedByClass[q]]] = rank;
        ss += (end - k) * (rank - mean) * (rank - mean);
        k = end;
      }
      unitSs[c] = ss;
    }

    const best: Record<ExplanationKind, number> = { class: NaN, concept: NaN, "concept-in-class": NaN };
    let winner: Candidate | null = null;
    const consider = (candidate: Candidate) => {
      if (Number.isNaN(candidate.score)) return;
      if (!(candidate.score <= best[candidate.kind])) best[candidate.kind] = candidate.score;
      if (winner === null || candidate.score > winner.score) winner = candidate;
    };
    const fromAuroc = (kind: ExplanationKind, name: string, auroc: number, binaryIndex: number, classIndex?: number) => {
      // Most of a unit's ~200 candidates lose: only a possible winner is made into an object.
      if (Number.isNaN(auroc)) return;
      const d = 2 * auroc - 1;
      const score = mode === "either" ? Math.abs(d) : Math.max(0, d);
      if (!(score <= best[kind])) best[kind] = score;
      if (winner !== null && !(score > (winner as Candidate).score)) return;
      const { direction } = aurocScore(auroc, mode);
      consider({ kind, measure: "auroc", name, classIndex, score, statistic: auroc, direction, binary: binaryIndex });
    };

    // Classes.
    classRankSum.fill(0);
    for (let r = 0; r < n; r++) classRankSum[labels[r]] += ranks[r];
    for (let c = 0; c < classes; c++) fromAuroc("class", className(c), aurocFromRankSum(classRankSum[c], count[c], n - count[c]), -1, c);

    // Binary concepts over all images.
    binary.forEach((b, j) => {
      let sum = 0;
      const positive = b.positive;
      for (let r = 0; r < n; r++) if (positive[r]) sum += ranks[r];
      const n1 = binaryStats[j].total;
      fromAuroc("concept", b.name, aurocFromRankSum(sum, n1, n - n1), j);
    });

    // Continuous concepts within class.
    continuous.forEach((concept, j) => {
      const stats = continuousStats[j];
      let sum = 0;
      let counted = 0;
      let only = -1;
      for (let c = 0; c < classes; c++) {
        let rho = NaN;
        if (stats.mode[c] === CLASS_SKIPPED) continue;
        if (stats.mode[c] === CLASS_FAST) {
          if (unitSs[c] === 0) continue;
          let dot = 0;
          const centred = stats.centredRanks;
          for (let k = start[c], e = start[c] + count[c]; k < e; k++) dot += rankByClass[k] * centred[k];
          rho = dot / Math.sqrt(unitSs[c] * stats.ss[c]);
        } else {
          // NaN concept values in this class: rank the unit over the measured images only.
          const rows = stats.measured[c];
          rho = spearman(
            Float64Array.from(rows, (r) => column[r]),
            Float64Array.from(rows, (r) => concept.values[r]),
          );
        }
        if (Number.isNaN(rho)) continue;
        sum += rho;
        counted++;
        only = c;
      }
      if (counted === 0) return;
      const mean = sum / counted;
      consider({
        kind: counted === 1 ? "concept-in-class" : "concept",
        measure: "within-class-spearman",
        name: concept.name,
        classIndex: counted === 1 ? only : undefined,
        score: Math.abs(mean),
        statistic: mean,
        direction: mean < 0 ? -1 : 1,
        binary: -1,
      });
    });

    // Binary concepts inside one class.
    binary.forEach((b, j) => {
      const stats = binaryStats[j];
      for (let c = 0; c < classes; c++) {
        const n1 = stats.perClass[c];
        const n0 = count[c] - n1;
        if (n1 < minCount || n0 < minCount) continue;
        let sum = 0;
        for (let k = start[c], e = start[c] + count[c]; k < e; k++) if (stats.byClass[k]) sum += rankByClass[k];
        fromAuroc("concept-in-class", b.name, aurocFromRankSum(sum, n1, n0), j, c);
      }
    });

    const chosen = winner as Candidate | null;
    if (chosen === null) {
      explanations.push({ ...deadExplanation(u), bestByKind: best });
      continue;
    }
    explanations.push({
      unit: u,
      kind: chosen.kind,
      name: chosen.name,
      ...(chosen.classIndex !== undefined ? { classIndex: chosen.classIndex } : {}),
      score: chosen.score,
      f1: winnerF1(chosen, column, order, sortedByClass, layout, labels, binary),
      measure: chosen.measure,
      statistic: chosen.statistic,
      direction: chosen.direction,
      bestByKind: best,
    });
  }
  return explanations;
}

function deadExplanation(unit: number): UnitExplanation {
  return {
    unit,
    kind: "none",
    name: "",
    score: NaN,
    f1: NaN,
    measure: "none",
    statistic: NaN,
    direction: 1,
    bestByKind: { class: NaN, concept: NaN, "concept-in-class": NaN },
  };
}

/** The best F1 of thresholding the unit (in the winning direction) for an AUROC-based winner. */
function winnerF1(
  w: Candidate,
  column: Float64Array,
  order: Uint32Array,
  sortedByClass: Uint32Array,
  layout: ClassLayout,
  labels: ArrayLike<number>,
  binary: readonly BinaryConcept[],
): number {
  if (w.measure !== "auroc") return NaN;
  let values: Float64Array;
  let ascending: Uint32Array;
  let positive: Uint8Array;
  if (w.kind === "concept-in-class") {
    const c = w.classIndex as number;
    const rows = sortedByClass.subarray(layout.start[c], layout.start[c] + layout.count[c]);
    values = Float64Array.from(rows, (r) => column[r]);
    positive = Uint8Array.from(rows, (r) => binary[w.binary].positive[r]);
    ascending = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) ascending[i] = i;
  } else {
    values = column;
    ascending = order;
    if (w.binary >= 0) positive = binary[w.binary].positive;
    else {
      const c = w.classIndex as number;
      positive = new Uint8Array(column.length);
      for (let r = 0; r < column.length; r++) positive[r] = labels[r] === c ? 1 : 0;
    }
  }
  if (w.direction < 0) {
    values = values.map((v) => -v);
    ascending = ascending.slice().reverse();
  }
  return bestF1Sorted(values, positive, ascending).f1;
}

interface ClassLayout {
  classes: number;
  /** Where each class's rows begin in byClass. */
  start: Int32Array;
  count: Int32Array;
  /** Rows grouped by class, increasing within a class. */
  byClass: Uint32Array;
  /** The position of each row in byClass. */
  rowPos: Uint32Array;
}

function classLayout(labels: ArrayLike<number>, classes: number): ClassLayout {
  const n = labels.length;
  const count = new Int32Array(classes);
  for (let r = 0; r < n; r++) count[labels[r]]++;
  const start = new Int32Array(classes);
  for (let c = 1; c < classes; c++) start[c] = start[c - 1] + count[c - 1];
  const cursor = Int32Array.from(start);
  const byClass = new Uint32Array(n);
  const rowPos = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const p = cursor[labels[r]]++;
    byClass[p] = r;
    rowPos[r] = p;
  }
  return { classes, start, count, byClass, rowPos };
}

function binaryLayout(b: BinaryConcept, layout: ClassLayout) {
  const n = layout.byClass.length;
  const byClass = new Uint8Array(n);
  const perClass = new Int32Array(layout.classes);
  let total = 0;
  for (let p = 0; p < n; p++) {
    const r = layout.byClass[p];
    if (b.positive[r]) {
      byClass[p] = 1;
      total++;
    }
  }
  for (let c = 0; c < layout.classes; c++) {
    for (let p = layout.start[c], e = p + layout.count[c]; p < e; p++) perClass[c] += byClass[p];
  }
  return { byClass, perClass, total };
}

const CLASS_SKIPPED = 0;
const CLASS_FAST = 1;
const CLASS_WITH_NAN = 2;

/** A concept's ranks within each class, centred, in byClass order; how each class is handled. */
function continuousLayout(concept: ContinuousConcept, layout: ClassLayout, minCount: number) {
  const { classes, start, count, byClass } = layout;
  const centredRanks = new Float64Array(byClass.length);
  const ss = new Float64Array(classes);
  const mode = new Uint8Array(classes);
  const measured: Uint32Array[] = [];
  for (let c = 0; c < classes; c++) {
    const rows = byClass.subarray(start[c], start[c] + count[c]);
    const valid = rows.filter((r) => !Number.isNaN(concept.values[r]));
    measured[c] = valid;
    if (valid.length < minCount) continue;
    if (valid.length < rows.length) {
      mode[c] = CLASS_WITH_NAN;
      continue;
    }
    const ranks = averageRanks(Float64Array.from(rows, (r) => concept.values[r]));
    const mean = (rows.length + 1) / 2;
    let s = 0;
    for (let i = 0; i < rows.length; i++) {
      const d = ranks[i] - mean;
      centredRanks[start[c] + i] = d;
      s += d * d;
    }
    ss[c] = s;
    // A concept constant inside the class says nothing there.
    mode[c] = s > 0 ? CLASS_FAST : CLASS_SKIPPED;
  }
  return { centredRanks, ss, mode, measured };
}

/** Share of all units (dead ones included in the denominator) whose best score is ≥ threshold; NaN for no units. */
export function explainedShare(explanations: readonly UnitExplanation[], threshold: number): number {
  if (explanations.length === 0) return NaN;
  return explanations.filter((e) => e.score >= threshold).length / explanations.length;
}

export interface ExplanationSummary {
  units: number;
  /** Units of kind "none". */
  dead: number;
  /** Median best score over the units that are not dead; NaN when all are. */
  medianScore: number;
  /** explainedShare at the threshold: dead units count against it. */
  shareExplained: number;
  threshold: number;
  /** How many live units each kind wins. */
  kinds: Record<ExplanationKind, number>;
  /** The same among the explained units (score ≥ threshold) only. */
  explainedKinds: Record<ExplanationKind, number>;
}

/** One basis's explanations in a few numbers, for comparing bases (neurons, PCA, ICA, SAE). */
export function summarizeExplanations(explanations: readonly UnitExplanation[], threshold: number): ExplanationSummary {
  const kinds: Record<ExplanationKind, number> = { class: 0, concept: 0, "concept-in-class": 0 };
  const explainedKinds: Record<ExplanationKind, number> = { class: 0, concept: 0, "concept-in-class": 0 };
  let dead = 0;
  for (const e of explanations) {
    if (e.kind === "none") {
      dead++;
      continue;
    }
    kinds[e.kind]++;
    if (e.score >= threshold) explainedKinds[e.kind]++;
  }
  return {
    units: explanations.length,
    dead,
    medianScore: median(explanations.map((e) => e.score)),
    shareExplained: explainedShare(explanations, threshold),
    threshold,
    kinds,
    explainedKinds,
  };
}
