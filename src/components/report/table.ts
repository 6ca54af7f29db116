// A plain, fully shown table of records (Inputs.table without row selection or scrolling).
import * as Inputs from "@observablehq/inputs";

export function table(rows: Record<string, unknown>[], options: { testId?: string } = {}): HTMLElement {
  const element = Inputs.table(rows, { select: false, layout: "auto", rows: rows.length + 1 }) as HTMLElement;
  if (options.testId) element.dataset.testid = options.testId;
  return element;
}
