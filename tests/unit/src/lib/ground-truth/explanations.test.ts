import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { aurocScore, explainUnits, explainedShare, summarizeExplanations, type UnitExplanation } from "../../../../../src/lib/ground-truth/explanations.js";
import { integerConcepts } from "../../../../../src/lib/ground-truth/binary-concepts.js";
import { auroc } from "../../../../../src/lib/ground-truth/auroc.js";
import { withinClassSpearman } from "../../../../../src/lib/ground-truth/spearman.js";
import { gaussian, mulberry32, randomInt } from "../../../../../src/lib/random.js";

const close = (a: number, b: number, tolerance = 1e-9) => assert.ok(Math.abs(a - b) < tolerance, `${a} ≠ ${b}`);

// 300 images of 3 classes (i mod 3); slant and thickness Gaussian, holes 0/1/2 at random, all
// independent of the class.
const n = 300;
const classes = 3;
const random = mulberry32(5);
const labels = Array.from({ length: n }, (_, i) => i % classes);
const slant = Float64Array.from({ length: n }, () => gaussian(random));
const thickness = Float64Array.from({ length: n }, () => gaussian(random));
const holes = Float64Array.from({ length: n }, () => randomInt(random, 3));
const binary = integerConcepts({ name: "holes", values: holes });
const continuous = [
  { name: "slant", values: slant },
  { name: "thickness", values: thickness },
];

function matrix(columns: ArrayLike<number>[]) {
  const cols = columns.length;
  const data = new Float32Array(n * cols);
  columns.forEach((column, u) => {
    for (let r = 0; r < n; r++) data[r * cols + u] = column[r];
  });
  return { rows: n, cols, data };
}

const unit = (f: (r: number) => number) => Float64Array.from({ length: n }, (_, r) => f(r));

describe("explainUnits", () => {
  const columns = [
    unit((r) => (labels[r] === 1 ? 1 : 0)), // 0: a class-1 indicator
    unit((r) => (holes[r] >= 1 ? 2 : 0)), // 1: a "has a hole" indicator
    unit((r) => slant[r] + 0.3 * labels[r]), // 2: slant plus a class offset
    unit(() => 0), // 3: dead
    unit((r) => -slant[r]), // 4: falls as slant rises
    unit((r) => (labels[r] === 2 && holes[r] === 2 ? 1 : 0)), // 5: "two holes", among the 2s only
  ];
  const explanations = explainUnits(matrix(columns), { labels, classes, continuous, binary, classNames: ["zero", "one", "two"] });

  test("a class indicator is explained by its class, perfectly", () => {
    const e = explanations[0];
    assert.equal(e.kind, "class");
    assert.equal(e.name, "one");
    assert.equal(e.classIndex, 1);
    assert.equal(e.score, 1);
    assert.equal(e.f1, 1);
    assert.equal(e.statistic, 1);
  });
  test("a holes indicator is explained by the binary concept (before the same concept in a class)", () => {
    const e = explanations[1];
    assert.equal(e.kind, "concept");
    assert.equal(e.name, "holes ≥ 1");
    assert.equal(e.score, 1);
    assert.equal(e.f1, 1);
    assert.equal(e.bestByKind["concept-in-class"], 1);
  });
  test("slant plus a class offset is explained by slant within class", () => {
    const e = explanations[2];
    assert.equal(e.kind, "concept");
    assert.equal(e.name, "slant");
    assert.equal(e.measure, "within-class-spearman");
    close(e.score, 1);
    assert.ok(Number.isNaN(e.f1));
    assert.ok(e.bestByKind.class < 0.5, `class score ${e.bestByKind.class}`);
  });
  test("a dead unit gets kind none and NaN", () => {
    const e = explanations[3];
    assert.equal(e.kind, "none");
    assert.ok(Number.isNaN(e.score));
  });
  test("a falling ρ counts, with direction −1", () => {
    const e = explanations[4];
    assert.equal(e.name, "slant");
    close(e.score, 1);
    close(e.statistic, -1);
    assert.equal(e.direction, -1);
  });
  test("a concept inside one class", () => {
    const e = explanations[5];
    assert.equal(e.kind, "concept-in-class");
    assert.equal(e.name, "holes ≥ 2");
    assert.equal(e.classIndex, 2);
    assert.equal(e.score, 1);
    assert.equal(e.f1, 1);
  });
  test('direction: a negated class indicator means nothing one-sided, its class with "either"', () => {
    const negated = matrix([unit((r) => (labels[r] === 1 ? -1 : 0))]);
    const positive = explainUnits(negated, { labels, classes }, { direction: "positive" })[0];
    assert.ok(positive.score < 0.6, `score ${positive.score}`);
    const either = explainUnits(negated, { labels, classes }, { direction: "either" })[0];
    assert.equal(either.name, "1");
    assert.equal(either.score, 1);
    assert.equal(either.direction, -1);
    assert.equal(either.f1, 1);
  });
  test("the fast path agrees with auroc and withinClassSpearman, NaN concept values included", () => {
    const thin = Float64Array.from(thickness, (v, r) => (r % 7 === 0 && labels[r] === 0 ? NaN : v));
    const noisy = unit((r) => Math.max(0, gaussian(random) + 0.5 * thickness[r]));
    const [e] = explainUnits(matrix([noisy]), { labels, classes, continuous: [{ name: "thin", values: thin }], binary });
    close(e.bestByKind.concept, Math.abs(withinClassSpearman(noisy, thin, labels, classes).mean));
    const classBest = Math.max(
      ...[0, 1, 2].map(
        (c) =>
          aurocScore(
            auroc(
              noisy,
              labels.map((l) => (l === c ? 1 : 0)),
            ),
          ).score,
      ),
    );
    close(e.bestByKind.class, classBest);
    let inClass = -Infinity;
    for (const b of binary) {
      for (let c = 0; c < classes; c++) {
        const rows = labels.flatMap((l, r) => (l === c ? [r] : []));
        const positives = rows.filter((r) => b.positive[r]).length;
        if (positives < 10 || rows.length - positives < 10) continue;
        const a = auroc(
          rows.map((r) => noisy[r]),
          rows.map((r) => b.positive[r]),
        );
        inClass = Math.max(inClass, aurocScore(a).score);
      }
    }
    close(e.bestByKind["concept-in-class"], inClass);
  });
  test("validates its input", () => {
    assert.throws(() => explainUnits(matrix([unit(() => 1)]), { labels: labels.slice(1), classes }), /one label per example/);
    assert.throws(
      () => explainUnits(matrix([unit(() => 1)]), { labels, classes, continuous: [{ name: "x", values: new Float64Array(3) }] }),
      /x\)\.values: expected 300 values/,
    );
  });
});

describe("aurocScore", () => {
  test("2·AUROC − 1, one-sided by default", () => {
    assert.deepEqual(aurocScore(0.75), { score: 0.5, direction: 1 });
    assert.deepEqual(aurocScore(0.25), { score: 0, direction: 1 });
    assert.deepEqual(aurocScore(0.25, "either"), { score: 0.5, direction: -1 });
  });
});

describe("explainedShare and summarizeExplanations", () => {
  const make = (kind: UnitExplanation["kind"], score: number): UnitExplanation => ({
    unit: 0,
    kind,
    name: kind,
    score,
    f1: NaN,
    measure: kind === "none" ? "none" : "auroc",
    statistic: NaN,
    direction: 1,
    bestByKind: { class: NaN, concept: NaN, "concept-in-class": NaN },
  });
  const list = [make("class", 0.9), make("concept", 0.6), make("concept-in-class", 0.3), make("none", NaN)];
  test("dead units count in the share's denominator, not in the median", () => {
    assert.equal(explainedShare(list, 0.5), 2 / 4);
    const s = summarizeExplanations(list, 0.5);
    assert.equal(s.units, 4);
    assert.equal(s.dead, 1);
    assert.equal(s.medianScore, 0.6);
    assert.equal(s.shareExplained, 0.5);
    assert.deepEqual(s.kinds, { class: 1, concept: 1, "concept-in-class": 1 });
    assert.deepEqual(s.explainedKinds, { class: 1, concept: 1, "concept-in-class": 0 });
    assert.ok(Number.isNaN(explainedShare([], 0.5)));
  });
});
