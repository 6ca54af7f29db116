// A unit's best explanation in words, for tables and readings.
import type { UnitRow } from "../../lib/ground-truth/basis-report.js";

export function explanationLabel(row: Pick<UnitRow, "kind" | "name" | "classIndex">, classNames: readonly string[]): string {
  const className = (c: number | undefined) => (c === undefined ? "?" : (classNames[c] ?? String(c)));
  switch (row.kind) {
    case "class":
      return `class ${className(row.classIndex)}`;
    case "concept":
      return row.name;
    case "concept-in-class":
      return `${row.name} within class ${className(row.classIndex)}`;
    default:
      return "dead (constant on every image)";
  }
}
