// Small pieces shared by the chart components: input checks, colour schemes, number formats.

/** What a single-plot component returns: Plot's <svg>, or a <figure> when it has a legend or title. */
export type ChartElement = HTMLElement | SVGSVGElement;

/** Width used when a page does not pass one (Plot's own default). */
export const DEFAULT_WIDTH = 640;

/** Categorical scheme for the 10 classes and other small unordered sets. */
export const CATEGORICAL_SCHEME = "observable10";
/** Sequential scheme for non-negative values. */
export const SEQUENTIAL_SCHEME = "blues";
/** Diverging scheme for signed values: negative blue, positive red (as digitCanvas draws them). */
export const DIVERGING_SCHEME = "burd";

/** Colour of a "no data" cell. */
export const NO_DATA_FILL = "#e4e4e4";

/**
 * The chart width: the default when none is given, or when it is 0, which Framework's reactive
 * `width` briefly is before the page has been laid out (the cell re-runs with the real width).
 */
export function resolveWidth(width: number | undefined, component: string): number {
  if (width === undefined || width === 0) return DEFAULT_WIDTH;
  if (!Number.isFinite(width) || width < 0) throw new Error(`${component} width: expected a positive number of pixels, found ${width}`);
  return width;
}

export function setTestId<E extends Element>(element: E, id: string): E {
  element.setAttribute("data-testid", id);
  return element;
}

export function assertNonEmptyArray(values: unknown, name: string): asserts values is ArrayLike<unknown> {
  if (values == null || typeof (values as ArrayLike<unknown>).length !== "number") {
    throw new Error(`${name}: expected an array, found ${values === null ? "null" : typeof values}`);
  }
  if ((values as ArrayLike<unknown>).length === 0) throw new Error(`${name}: expected at least one entry, found none`);
}

export { assertLength } from "../lib/analysis/validate.js";

/** Numbers only; NaN allowed where `allowNaN` (it means "missing"), infinities never. */
export function assertNumber(value: unknown, name: string, { allowNaN = false } = {}): asserts value is number {
  if (typeof value !== "number" || (!Number.isFinite(value) && !(allowNaN && Number.isNaN(value)))) {
    throw new Error(`${name}: expected a finite number${allowNaN ? " or NaN" : ""}, found ${String(value)}`);
  }
}

/** A fraction in [0, 1] (accuracies); NaN allowed where `allowNaN`. */
export function assertFraction(value: unknown, name: string, { allowNaN = false } = {}): asserts value is number {
  assertNumber(value, name, { allowNaN });
  if (!Number.isNaN(value) && (value < 0 || value > 1)) {
    throw new Error(`${name}: expected a fraction in [0, 1] (not a percentage), found ${value}`);
  }
}

export function assertUniqueLabels(labels: readonly string[], name: string): void {
  const seen = new Set<string>();
  for (const label of labels) {
    if (typeof label !== "string") throw new Error(`${name}: expected strings, found ${typeof label}`);
    if (seen.has(label)) throw new Error(`${name}: expected distinct labels, found "${label}" twice`);
    seen.add(label);
  }
}

/** Distinct values in order of first appearance (a stable legend and facet order). */
export function distinctInOrder<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** At most about `maxTicks` of the labels: every 1st, 2nd, 5th, 10th, 20th, 25th, 50th, … from the first. */
export function thinTicks(labels: readonly string[], maxTicks: number): string[] {
  const step = niceIntegerStep(labels.length / Math.max(1, Math.floor(maxTicks)));
  return step === 1 ? [...labels] : labels.filter((_, i) => i % step === 0);
}

/** The smallest of 1, 2, 5, 10, 20, 25, 50, 100, … that is at least `raw`. */
export function niceIntegerStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw && Number.isInteger(s)) ?? 10 * power;
}

/**
 * Integer tick values (epochs) for an axis showing `values`, at most about `maxCount` of them;
 * undefined when some values are not integers. Plot's own ticks would fall between integers
 * on short spans (epochs 2 to 4) and a "d" format would then repeat labels.
 */
export function integerTicks(values: readonly number[], maxCount: number): number[] | undefined {
  if (values.length === 0 || !values.every(Number.isInteger)) return undefined;
  const { domain: [low, high] = [Math.min(...values), Math.max(...values)] } = spreadIfSingle(values);
  const step = niceIntegerStep((high - low) / Math.max(1, Math.floor(maxCount)));
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high; t += step) ticks.push(t);
  return ticks;
}

// toLocaleString builds a new formatter on every call; charts format thousands of tooltips.
const formatters = new Map<number, Intl.NumberFormat>();

/** A number with a real minus sign (U+2212), as Plot's axes write it. */
export function formatNumber(value: number, maximumFractionDigits = 3): string {
  if (Number.isNaN(value)) return "no data";
  let format = formatters.get(maximumFractionDigits);
  if (!format) formatters.set(maximumFractionDigits, (format = new Intl.NumberFormat("en-US", { maximumFractionDigits, useGrouping: false })));
  return format.format(value).replace("-", "\u2212");
}

/** A signed change: "+1.2", "−12.3", "0.0". */
export function formatSigned(value: number, fractionDigits = 1): string {
  if (Number.isNaN(value)) return "no data";
  const text = value.toLocaleString("en-US", {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
    signDisplay: "exceptZero",
    useGrouping: false,
  });
  return text.replace("-", "\u2212");
}

/** Rough pixel width of a label in 10 px sans-serif, to size margins. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * 6.2);
}

/** A flex container that lays out several charts side by side, wrapping when narrow. */
export function chartRow(charts: readonly Element[], gap: number): HTMLDivElement {
  const row = document.createElement("div");
  row.style.display = "flex";
  row.style.flexWrap = "wrap";
  row.style.gap = `8px ${gap}px`;
  row.style.alignItems = "flex-start";
  for (const chart of charts) {
    // Browsers give <figure> side margins, which would push the second chart to a new line.
    if (chart instanceof HTMLElement || chart instanceof SVGElement) chart.style.margin = "0";
    row.append(chart);
  }
  return row;
}

/**
 * Scale options for a continuous axis: nothing when the finite values span a range (Plot picks
 * the domain), else a domain of ±1 around the single value, so one epoch or one scale still
 * gets a readable axis instead of a zero-width one.
 */
export function spreadIfSingle(values: Iterable<number>): { domain?: [number, number] } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity || min < max) return {};
  return { domain: [min - 1, max + 1] };
}
