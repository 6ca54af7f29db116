// The project's one set of value checks, shared by loaders, analyses and page controls, so that
// every "must be a positive integer" says the same thing the same way.

export const isPositiveInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value > 0;

/** Returns `value` if it is an integer >= 1; otherwise throws "<what> must be a positive integer, found <value>". */
export function checkPositiveInteger(value: unknown, what: string): number {
  if (!isPositiveInteger(value)) throw new Error(`${what} must be a positive integer, found ${describeValue(value)}`);
  return value;
}

/** Returns `value` if it is a finite number; otherwise throws. */
export function checkFiniteNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${what} must be a finite number, found ${describeValue(value)}`);
  return value;
}

/** How a value reads in a message: strings quoted, everything else as JavaScript prints it. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  return String(value);
}

export interface NumberRule {
  /** What the reader sees next to the control, e.g. "Scale" or "Test image #". */
  label: string;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

export type CheckedNumber = { value: number; error: null } | { value: null; error: string };

/**
 * Checks a value typed into a page control against its allowed range, with a message about that
 * very value ("Scale must be from 0 to 3; found 10."). Empty and non-numeric input is an error too.
 */
export function checkNumberInput(value: unknown, rule: NumberRule): CheckedNumber {
  const range = `${rule.integer ? "a whole number " : ""}from ${rule.min} to ${rule.max}`;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || Number.isNaN(number)) {
    const shown = value === "" || value === null || value === undefined ? "nothing" : describeValue(value);
    return { value: null, error: `${rule.label} must be ${range}; found ${shown}.` };
  }
  if (!Number.isFinite(number) || number < rule.min || number > rule.max || (rule.integer && !Number.isInteger(number))) {
    return { value: null, error: `${rule.label} must be ${range}; found ${describeValue(number)}.` };
  }
  return { value: number, error: null };
}
