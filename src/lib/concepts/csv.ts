// The concepts table as CSV, the one form every consumer reads (data/concepts/test.csv): a row
// per image in dataset order, lengths and angles with 4 decimals, counts as whole numbers, and an
// empty field where a concept is not defined (NaN: the thickness or slant of an empty image).
import { CONCEPT_NAMES, INTEGER_CONCEPTS, type ConceptColumns } from "./types.js";

export const CONCEPTS_CSV_HEADER = ["index", "label", ...CONCEPT_NAMES].join(",");

const DECIMALS = 4;

function formatValue(value: number, integer: boolean): string {
  if (Number.isNaN(value)) return "";
  const text = integer ? String(value) : value.toFixed(DECIMALS);
  // toFixed keeps a sign on values that round to zero ("-0.0000").
  return text === `-${(0).toFixed(DECIMALS)}` ? (0).toFixed(DECIMALS) : text;
}

/** The CSV of `columns` with the images' `labels`; every column must have one value per label. */
export function conceptsCsv(labels: ArrayLike<number>, columns: ConceptColumns): string {
  const count = labels.length;
  for (const name of CONCEPT_NAMES) {
    const column = columns[name];
    if (column === undefined) throw new Error(`conceptsCsv: expected a column "${name}", found none`);
    if (column.length !== count) throw new Error(`conceptsCsv: expected ${count} values of "${name}" (one per label), found ${column.length}`);
  }
  const lines: string[] = [CONCEPTS_CSV_HEADER];
  for (let i = 0; i < count; i++) {
    let line = `${i},${labels[i]}`;
    for (const name of CONCEPT_NAMES) line += `,${formatValue(columns[name][i], INTEGER_CONCEPTS.has(name))}`;
    lines.push(line);
  }
  return `${lines.join("\n")}\n`;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Reads a table written by conceptsCsv. Throws, naming `source` and the line, on a wrong header,
 * a row with the wrong number of fields, a value that is not a number (or not a whole number
 * where a count or the label is expected), and an index out of order.
 */
export function parseConceptsCsv(text: string, source: string): { labels: Uint8Array; columns: ConceptColumns; count: number } {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const header = lines[0] ?? "";
  if (header !== CONCEPTS_CSV_HEADER) {
    throw new Error(`${source}: line 1: expected the header "${CONCEPTS_CSV_HEADER}", found ${JSON.stringify(header.slice(0, 200))}`);
  }
  const count = lines.length - 1;
  const labels = new Uint8Array(count);
  const columns = Object.fromEntries(CONCEPT_NAMES.map((name) => [name, new Float64Array(count)])) as ConceptColumns;
  const fieldNames = CONCEPTS_CSV_HEADER.split(",");
  for (let row = 0; row < count; row++) {
    const lineNumber = row + 2;
    const at = `${source}: line ${lineNumber}`;
    const fields = lines[row + 1].split(",");
    if (fields.length !== fieldNames.length) {
      throw new Error(
        `${at}: expected ${fieldNames.length} fields (${CONCEPTS_CSV_HEADER}), found ${fields.length}: ${JSON.stringify(lines[row + 1].slice(0, 200))}`,
      );
    }
    const whole = (field: number, min: number, max: number): number => {
      const value = fields[field];
      if (!INTEGER.test(value) || Number(value) < min || Number(value) > max) {
        throw new Error(`${at}: expected ${fieldNames[field]} to be a whole number from ${min} to ${max}, found ${JSON.stringify(value)}`);
      }
      return Number(value);
    };
    const index = whole(0, 0, Number.MAX_SAFE_INTEGER);
    if (index !== row) throw new Error(`${at}: expected index ${row} (rows in order from 0), found ${index}`);
    labels[row] = whole(1, 0, 255);
    CONCEPT_NAMES.forEach((name, k) => {
      const field = k + 2;
      const value = fields[field];
      if (value === "") {
        columns[name][row] = NaN;
      } else if (INTEGER_CONCEPTS.has(name)) {
        columns[name][row] = whole(field, 0, Number.MAX_SAFE_INTEGER);
      } else {
        if (!DECIMAL.test(value)) throw new Error(`${at}: expected ${name} to be a number (or empty), found ${JSON.stringify(value)}`);
        columns[name][row] = Number(value);
      }
    });
  }
  return { labels, columns, count };
}
