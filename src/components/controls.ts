// The page controls, each remembered in the page's address (like TensorFlow Playground's shareable
// state): a control with a `key` starts from `?key=value` when present and writes its value back
// on every change, so a reader can link to an exact view. Every control is an element with a
// `value` that dispatches "input" events, which is what Framework's view() needs.
//
// Numeric controls never swallow what the reader typed: their value is the number, or the raw
// text when it is not a number, and the cell that reads it checks it (checkNumberInput) and says
// what is wrong with that very value.

export type Control<T> = HTMLElement & { value: T };

interface Common {
  label: string;
  /** Name of the URL parameter that holds this control's value; none = not remembered. */
  key?: string;
}

/** The value stored in the address for `key`, or null. */
function fromUrl(key: string | undefined): string | null {
  if (!key || typeof location === "undefined") return null;
  return new URLSearchParams(location.search).get(key);
}

/** Writes `key=text` into the address (removing it when it is the default) without reloading. */
function toUrl(key: string | undefined, text: string, defaultText: string): void {
  if (!key || typeof history === "undefined") return;
  const url = new URL(location.href);
  if (text === defaultText) url.searchParams.delete(key);
  else url.searchParams.set(key, text);
  history.replaceState(history.state, "", url);
}

function frame(label: string, key: string | undefined): { root: HTMLFormElement; body: HTMLDivElement } {
  const root = document.createElement("form");
  root.className = "control";
  root.addEventListener("submit", (event) => event.preventDefault());
  if (key) root.dataset.key = key;
  const caption = document.createElement("label");
  caption.className = "control-label";
  caption.textContent = label;
  const body = document.createElement("div");
  body.className = "control-body";
  root.append(caption, body);
  return { root, body };
}

let nextId = 0;
function labelFor(root: HTMLElement, field: HTMLElement): void {
  field.id ||= `control-${++nextId}`;
  root.querySelector("label")!.htmlFor = field.id;
}

function emit(root: HTMLElement): void {
  root.dispatchEvent(new Event("input", { bubbles: true }));
}

/** "3" -> 3, "" or "x" -> the text itself (for the cell to report). */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  const number = trimmed === "" ? NaN : Number(trimmed);
  return Number.isNaN(number) ? text : number;
}

export interface SelectOptions<T> extends Common {
  options: readonly T[];
  value: T;
  /** What the reader sees for an option (default String). */
  format?: (option: T) => string;
}

/** A drop-down; the address holds String(option). An unknown value in the address is ignored. */
export function selectControl<T>(options: SelectOptions<T>): Control<T> {
  const { label, key, format = String } = options;
  const choices = [...options.options];
  if (choices.length === 0) throw new Error(`selectControl "${label}": needs at least one option`);
  const defaultIndex = Math.max(0, choices.indexOf(options.value));
  const stored = fromUrl(key);
  const storedIndex = stored === null ? -1 : choices.findIndex((c) => String(c) === stored);
  const { root, body } = frame(label, key);
  const select = document.createElement("select");
  choices.forEach((choice, i) => select.append(new Option(format(choice), String(i))));
  select.selectedIndex = storedIndex >= 0 ? storedIndex : defaultIndex;
  labelFor(root, select);
  body.append(select);
  const control = root as unknown as Control<T>;
  Object.defineProperty(control, "value", {
    get: () => choices[select.selectedIndex],
    set: (v: T) => void (select.selectedIndex = Math.max(0, choices.indexOf(v))),
  });
  select.addEventListener("change", () => {
    toUrl(key, String(control.value), String(choices[defaultIndex]));
    emit(root);
  });
  return control;
}

export interface RangeOptions extends Common {
  min: number;
  max: number;
  step: number;
  value: number;
}

/**
 * A slider with a box to type a value into. Its value is the number typed or slid to, or the
 * raw text when the box holds no number; out-of-range numbers pass through for the cell to report.
 */
export function rangeControl(options: RangeOptions): Control<number | string> {
  const { label, key, min, max, step } = options;
  const { root, body } = frame(label, key);
  const slider = document.createElement("input");
  Object.assign(slider, { type: "range", min: String(min), max: String(max), step: String(step) });
  const box = document.createElement("input");
  Object.assign(box, { type: "text", inputMode: "decimal", size: 6 });
  box.setAttribute("aria-label", label);
  labelFor(root, box);
  body.append(slider, box);
  let value: number | string = numberOrText(fromUrl(key) ?? String(options.value));
  const show = () => {
    box.value = String(value);
    if (typeof value === "number" && value >= min && value <= max) slider.value = String(value);
  };
  show();
  const control = root as unknown as Control<number | string>;
  Object.defineProperty(control, "value", {
    get: () => value,
    set: (v: number | string) => ((value = v), show()),
  });
  const changed = () => {
    toUrl(key, String(value), String(options.value));
    emit(root);
  };
  slider.addEventListener("input", () => {
    value = Number(slider.value);
    box.value = slider.value;
    changed();
  });
  box.addEventListener("input", () => {
    value = numberOrText(box.value);
    if (typeof value === "number" && value >= min && value <= max) slider.value = String(value);
    changed();
  });
  return control;
}

export interface TextOptions extends Common {
  value: string;
  placeholder?: string;
  /** Numbers come out as numbers (non-numbers as their text). */
  numeric?: boolean;
}

/** A one-line text box (e.g. neuron lists "3, 7" or a test image number). */
export function textControl(options: TextOptions): Control<string | number> {
  const { label, key, numeric = false } = options;
  const { root, body } = frame(label, key);
  const box = document.createElement("input");
  Object.assign(box, { type: "text", value: fromUrl(key) ?? options.value, placeholder: options.placeholder ?? "" });
  if (numeric) box.inputMode = "decimal";
  labelFor(root, box);
  body.append(box);
  const read = () => (numeric ? numberOrText(box.value) : box.value);
  const control = root as unknown as Control<string | number>;
  Object.defineProperty(control, "value", {
    get: read,
    set: (v: string | number) => void (box.value = String(v)),
  });
  box.addEventListener("input", () => {
    toUrl(key, box.value, options.value);
    emit(root);
  });
  return control;
}
