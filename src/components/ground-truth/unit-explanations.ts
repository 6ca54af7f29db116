// One basis's units with their best explanation, the best first: what each neuron, component or
// SAE latent is most like among the classes and the measured concepts.
import type { BasisReport } from "../../lib/ground-truth/basis-report.js";
import { explanationLabel } from "./explanation-label.js";

export function unitRows(basis: BasisReport, classNames: readonly string[], limit = 24): Record<string, unknown>[] {
  const order = basis.unitRows
    .map((row, unit) => ({ row, unit }))
    .sort((a, b) => (Number.isNaN(b.row.score) ? -1 : b.row.score) - (Number.isNaN(a.row.score) ? -1 : a.row.score));
  return order.slice(0, limit).map(({ row, unit }) => ({
    Unit: unit,
    "Best explanation": explanationLabel(row, classNames),
    Score: Number.isFinite(row.score) ? row.score.toFixed(2) : "n/a",
    F1: Number.isFinite(row.f1) ? row.f1.toFixed(2) : "",
  }));
}
