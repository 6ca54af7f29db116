import { test } from "node:test";
import assert from "node:assert/strict";
import { activeValues, basisReport, ratesAbove, SCORE_SETUP } from "../../../../../src/lib/ground-truth/basis-report.js";
import { conceptInputs } from "../../../../../src/lib/ground-truth/concept-inputs.js";
import { encodeGroundTruthFile, parseGroundTruthFile, groundTruthFormat, type GroundTruthFile } from "../../../../../src/lib/ground-truth/report-file.js";
import { mulberry32 } from "../../../../../src/lib/random.js";

// 400 images of 2 classes; "holes" is 1 on a random half; 4 neurons of noise; an SAE whose
// latent 0 fires exactly on the images with a hole and whose other latents are sparse noise.
const rows = 400;
const random = mulberry32(5);
const labels = Uint8Array.from({ length: rows }, (_, i) => i % 2);
const holes = Float64Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0));
const columns: Record<string, Float64Array> = { holes, endpoints: new Float64Array(rows).fill(2), junctions: new Float64Array(rows) };
for (const name of ["area", "length", "thickness", "slant", "width", "height"]) columns[name] = Float64Array.from({ length: rows }, () => random());
const concepts = { labels, classes: 2, ...conceptInputs(columns, rows) };
const matrix = (cols: number, value: (r: number, c: number) => number) => {
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = value(r, c);
  return { rows, cols, data };
};
const neurons = matrix(4, () => Math.max(0, random() - 0.3));
const codes = matrix(8, (r, c) => (c === 0 ? holes[r] * (1 + random()) : random() < 0.1 ? random() : 0));

test("conceptInputs makes the counts yes/no concepts and names a missing column", () => {
  const inputs = conceptInputs(columns, rows);
  assert.deepEqual(
    inputs.continuous.map((c) => c.name),
    ["area", "length", "thickness", "slant", "width", "height"],
  );
  assert.deepEqual(
    inputs.binary.map((b) => b.name),
    ["holes = 0", "holes ≥ 1"],
  );
  const { holes: _, ...missing } = columns;
  assert.throws(() => conceptInputs(missing, rows, "test.csv"), /test\.csv: expected a column "holes"/);
  assert.throws(() => conceptInputs(columns, rows + 1, "test.csv"), /column "area" has 400 values, expected one per image \(401\)/);
});

test("ratesAbove counts values strictly above the threshold", () => {
  const m = { rows: 4, cols: 2, data: Float32Array.from([0, 0.5, 1, 0.6, 0, 0.4, 2, 0.9]) };
  assert.deepEqual(Array.from(ratesAbove(m, 0)), [0.5, 1]);
  assert.deepEqual(Array.from(ratesAbove(m, 0.5)), [0.5, 0.5]);
});

test("activeValues zeroes the inactive codes of a KL SAE and leaves other codes alone", () => {
  const m = { rows: 2, cols: 2, data: Float32Array.from([0.2, 0.7, 0.5, 0.9]) };
  assert.deepEqual(Array.from(activeValues(m, 0.5).data), [0, Float32Array.from([0.7])[0], 0, Float32Array.from([0.9])[0]]);
  assert.equal(activeValues(m, 0), m);
});

test("a KL SAE's codes are scored as active or not: a latent at 0.4 on every image but one is dead but there", () => {
  // Sigmoid-like codes: a latent that follows holes below 0.5 (never active) ranks the images
  // perfectly on the raw values, but it never fires, so it explains nothing.
  const kl = matrix(2, (r, c) => (c === 0 ? 0.1 + 0.3 * holes[r] : holes[r] ? 0.9 : 0.1));
  const report = basisReport(
    { id: "neurons/kl", kind: "sae", basis: "neurons", architecture: "kl", values: kl, activeAbove: 0.5, controlInput: neurons },
    neurons,
    concepts,
  );
  assert.equal(report.unitRows[0].kind, "none");
  assert.equal(report.unitRows[1].name, "holes ≥ 1");
  assert.equal(report.unitRows[1].score, 1);
});

test("an SAE latent that is a concept is explained by it, and beats both controls", () => {
  const report = basisReport(
    { id: "neurons/topk", kind: "sae", basis: "neurons", architecture: "topk", values: codes, activeAbove: 0, controlInput: neurons },
    neurons,
    concepts,
  );
  assert.equal(report.unitRows[0].kind, "concept");
  assert.equal(report.unitRows[0].name, "holes ≥ 1");
  assert.equal(report.unitRows[0].score, 1);
  assert.equal(report.unitRows[0].f1, 1);
  const controls = report.controls;
  assert.ok(controls);
  assert.equal(controls.randomDictionary.summaries.length, SCORE_SETUP.controlSeeds.length);
  assert.equal(controls.thresholdedNeurons.summaries.length, 1);
  // The control latent 0 fires as often as the SAE's (half the images): rates are matched.
  assert.ok(Math.abs(report.firingRate - ratesAbove(codes, 0).reduce((a, b) => a + b, 0) / 8) < 1e-12);
  assert.ok(controls.randomDictionary.shareMargin > 0, "one latent in 8 is explained, none of the random ones");
  assert.ok(report.summary.shareExplained >= 1 / 8);
});

test("PCA and ICA components are scored in either direction and have no controls", () => {
  const flipped = matrix(1, (r) => -holes[r]);
  const report = basisReport({ id: "pca", kind: "pca", basis: "pca", values: flipped, activeAbove: 0 }, neurons, concepts);
  assert.equal(report.unitRows[0].score, 1);
  assert.equal(report.controls, undefined);
  assert.ok(Number.isNaN(report.firingRate));
});

test("an SAE without its input for the control is refused", () => {
  assert.throws(() => basisReport({ id: "x", kind: "sae", basis: "neurons", values: codes, activeAbove: 0 }, neurons, concepts), /needs its input/);
});

test("the file keeps NaN through JSON and refuses another format", () => {
  const report = basisReport({ id: "neurons", kind: "neurons", basis: "neurons", values: neurons, activeAbove: 0 }, neurons, concepts);
  const file: GroundTruthFile = {
    format: groundTruthFormat,
    model: "m",
    classNames: ["a", "b"],
    images: rows,
    setup: SCORE_SETUP,
    concepts: { continuous: [], binary: [] },
    layers: [
      { layer: "relu_1", width: 4, bases: [report], seeds: [], sparseProbing: { ks: [1], classes: 2, concepts: [], setup: {}, bases: [] }, absorption: [] },
    ],
    seconds: 1,
  };
  const back = parseGroundTruthFile(encodeGroundTruthFile(file), "m.json");
  assert.deepEqual(back, file);
  assert.throws(() => parseGroundTruthFile('{"format":"other"}', "m.json"), /m\.json: expected a "ground-truth-v3" file, found format "other"/);
  assert.throws(() => parseGroundTruthFile("{", "m.json"), /m\.json: not JSON/);
});
