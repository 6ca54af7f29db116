// Reading a list of unit indices typed by a reader ("3, 7" or "0-3"), with messages that say
// exactly what is wrong, since the page shows them in place of a result.

export type ParsedUnits = { units: number[]; error: null } | { units: null; error: string };

export function parseUnitList(text: string, unitCount: number, layer = "this layer"): ParsedUnits {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { units: null, error: `Choose at least one unit of ${layer} (e.g. "3" or "3, 7" or "0-3").` };
  const units = new Set<number>();
  for (const part of parts) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    const [from, to] = range ? [Number(range[1]), Number(range[2])] : /^\d+$/.test(part) ? [Number(part), Number(part)] : [NaN, NaN];
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
      return { units: null, error: `"${part}" is not a unit index or a range like 0-3.` };
    }
    if (to >= unitCount) return { units: null, error: `Unit ${to} does not exist: ${layer} has units 0 to ${unitCount - 1}.` };
    for (let u = from; u <= to; u++) units.add(u);
  }
  return { units: [...units].sort((a, b) => a - b), error: null };
}
