import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CONCEPTS_CSV_HEADER, conceptsCsv, parseConceptsCsv } from "../../../../../src/lib/concepts/csv.js";
import { measureDigits } from "../../../../../src/lib/concepts/measure.js";
import { CONCEPT_NAMES, type ConceptColumns } from "../../../../../src/lib/concepts/types.js";
import { SIDE, annulus, draw, shearedBar } from "./shapes.js";

const columnsOf = (rows: number[][]): ConceptColumns =>
  Object.fromEntries(CONCEPT_NAMES.map((name, k) => [name, Float64Array.from(rows, (row) => row[k])])) as ConceptColumns;

const HEADER = "index,label,area,length,thickness,slant,width,height,holes,endpoints,junctions";
const GOOD = `${HEADER}\n0,7,71.0625,33.1421,2.0605,0.0705,15.6413,19.7500,0,2,0\n1,2,0.0000,0.0000,,,,,0,0,0\n`;

describe("conceptsCsv", () => {
  test("the header, a row per image from index 0, 4 decimals, counts plain, NaN empty", () => {
    assert.equal(CONCEPTS_CSV_HEADER, HEADER);
    const columns = columnsOf([
      [71.0625, 33.14213562, 2.06051, 0.070512, 15.64128, 19.75, 0, 2, 0],
      [0, 0, NaN, NaN, NaN, NaN, 0, 0, 0],
    ]);
    assert.equal(conceptsCsv([7, 2], columns), GOOD);
  });
  test("a slant that rounds to zero is written 0.0000, not -0.0000; negative slants keep their sign", () => {
    const columns = columnsOf([
      [1, 1, 1, -0.00001, 1, 1, 0, 0, 0],
      [1, 1, 1, -0.25, 1, 1, 0, 0, 0],
    ]);
    const rows = conceptsCsv([0, 0], columns).split("\n");
    assert.equal(rows[1].split(",")[5], "0.0000");
    assert.equal(rows[2].split(",")[5], "-0.2500");
  });
  test("rejects a column of the wrong length", () => {
    const columns = columnsOf([[1, 1, 1, 1, 1, 1, 0, 0, 0]]);
    assert.throws(() => conceptsCsv([1, 2], columns), /expected 2 values of "area" \(one per label\), found 1/);
  });
});

describe("parseConceptsCsv", () => {
  test("round trip: measured digits read back to the written precision, NaN as NaN", () => {
    const images = [draw(annulus(13.5, 13.5, 5, 8)), new Uint8Array(SIDE * SIDE), draw(shearedBar(-0.3, 4))];
    const all = new Uint8Array(images.length * SIDE * SIDE);
    images.forEach((image, i) => all.set(image, i * SIDE * SIDE));
    const columns = measureDigits(all, images.length, SIDE);
    const text = conceptsCsv([0, 5, 9], columns);
    const parsed = parseConceptsCsv(text, "test.csv");
    assert.equal(parsed.count, 3);
    assert.deepEqual(Array.from(parsed.labels), [0, 5, 9]);
    for (const name of CONCEPT_NAMES) {
      for (let i = 0; i < 3; i++) {
        const [a, b] = [columns[name][i], parsed.columns[name][i]];
        if (Number.isNaN(a)) assert.ok(Number.isNaN(b), `${name}[${i}] is NaN`);
        else assert.ok(Math.abs(a - b) <= 5e-5, `${name}[${i}]: wrote ${a}, read ${b}`);
      }
    }
    assert.equal(conceptsCsv(parsed.labels, parsed.columns), text, "writing what was read gives the same text");
  });
  test("an empty table and a missing final newline are fine", () => {
    assert.equal(parseConceptsCsv(`${HEADER}\n`, "x").count, 0);
    assert.equal(parseConceptsCsv(GOOD.trimEnd(), "x").count, 2);
  });
  test("a wrong header names the source, line 1, what was expected and what was found", () => {
    assert.throws(
      () => parseConceptsCsv("index,label,area\n0,1,2\n", "data/concepts/test.csv"),
      (error: Error) =>
        /data\/concepts\/test\.csv: line 1: expected the header "index,label,area,length,/.test(error.message) &&
        /found "index,label,area"$/.test(error.message),
    );
    assert.throws(() => parseConceptsCsv("", "empty.csv"), /empty\.csv: line 1: expected the header .*, found ""$/);
  });
  test("a row with the wrong number of fields", () => {
    assert.throws(() => parseConceptsCsv(`${HEADER}\n0,7,1,2,3\n`, "t.csv"), /t\.csv: line 2: expected 11 fields \(index,label,.*\), found 5: "0,7,1,2,3"$/);
  });
  test("a value that is not a number", () => {
    const bad = GOOD.replace("33.1421", "long");
    assert.throws(() => parseConceptsCsv(bad, "t.csv"), /t\.csv: line 2: expected length to be a number \(or empty\), found "long"$/);
    const fraction = GOOD.replace("19.7500,0,2,0", "19.7500,0.5,2,0");
    assert.throws(() => parseConceptsCsv(fraction, "t.csv"), /t\.csv: line 2: expected holes to be a whole number from 0 to \d+, found "0\.5"$/);
    const label = GOOD.replace("1,2,0.0000", "1,300,0.0000");
    assert.throws(() => parseConceptsCsv(label, "t.csv"), /t\.csv: line 3: expected label to be a whole number from 0 to 255, found "300"$/);
  });
  test("an index out of order", () => {
    const swapped = GOOD.replace("\n1,2,", "\n2,2,");
    assert.throws(() => parseConceptsCsv(swapped, "t.csv"), /t\.csv: line 3: expected index 1 \(rows in order from 0\), found 2$/);
  });
});
