// Latency of the pages' live cells, measured in Chromium against the built site.
// Each page that has a benchmark gets a function here; pages without one are skipped.
export interface CellTiming {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

export async function benchPageCells(_pages: string[]): Promise<CellTiming[]> {
  return [];
}
