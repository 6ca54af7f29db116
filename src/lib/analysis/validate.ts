// Shape checks at the entry of every analysis: a wrong shape must fail loudly with what was
// expected and what was found, not silently read past the end of a typed array.
import type { ActivationMatrix, ClassUnitMatrix } from "./types.js";
import { isPositiveInteger } from "../validate-input.js";

export function assertPositiveInteger(value: number, name: string): void {
  if (!isPositiveInteger(value)) {
    throw new Error(`${name}: expected a positive integer, found ${value}`);
  }
}

export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name}: expected a non-negative integer, found ${value}`);
  }
}

export function assertActivationMatrix(m: ActivationMatrix, name = "activations"): void {
  if (m === null || typeof m !== "object") {
    throw new Error(`${name}: expected an ActivationMatrix {rows, cols, data}, found ${m}`);
  }
  assertNonNegativeInteger(m.rows, `${name}.rows`);
  assertNonNegativeInteger(m.cols, `${name}.cols`);
  if (!(m.data instanceof Float32Array)) {
    throw new Error(`${name}.data: expected a Float32Array, found ${describe(m.data)}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${name}: expected data.length = rows × cols = ${m.rows} × ${m.cols} = ${m.rows * m.cols}, ` + `found ${m.data.length}`);
  }
}

/** NaN or ±Infinity would spread through every sum it enters: name the first one and where it is. */
export function assertFiniteActivations(m: ActivationMatrix, name = "activations"): void {
  const { cols, data } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${name}: expected finite values, found ${data[i]} at example ${Math.floor(i / cols)}, unit ${i % cols}`);
    }
  }
}

/** Labels must be one per example, integers in [0, numClasses). */
export function assertLabels(labels: ArrayLike<number>, rows: number, numClasses: number, name = "labels"): void {
  assertPositiveInteger(numClasses, "numClasses");
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") {
    throw new Error(`${name}: expected an array of class labels, found ${describe(labels)}`);
  }
  if (labels.length !== rows) {
    throw new Error(`${name}: expected one label per example (${rows}), found ${labels.length}`);
  }
  for (let i = 0; i < rows; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new Error(`${name}[${i}]: expected an integer class in [0, ${numClasses}), found ${label}`);
    }
  }
}

export function assertClassUnitMatrix(m: ClassUnitMatrix, name = "matrix"): void {
  if (m === null || typeof m !== "object") {
    throw new Error(`${name}: expected a {classes, units, data} matrix, found ${m}`);
  }
  assertNonNegativeInteger(m.classes, `${name}.classes`);
  assertNonNegativeInteger(m.units, `${name}.units`);
  if (!(m.data instanceof Float64Array) || m.data.length !== m.classes * m.units) {
    throw new Error(`${name}: expected a Float64Array of classes × units = ${m.classes * m.units} values, ` + `found ${describe(m.data)}`);
  }
}

export function assertUnitIndex(unit: number, cols: number, name = "unit"): void {
  if (!Number.isInteger(unit) || unit < 0 || unit >= cols) {
    throw new Error(`${name}: expected an integer unit index in [0, ${cols}), found ${unit}`);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  }
  if (Array.isArray(value)) return `Array of length ${value.length}`;
  return typeof value;
}

/** Throws unless `values` is array-like with `length` entries. */
export function assertLength(values: ArrayLike<unknown> | undefined, length: number, name: string): void {
  if (values == null || typeof values.length !== "number") throw new Error(`${name}: expected an array of ${length} values, found ${values}`);
  if (values.length !== length) throw new Error(`${name}: expected ${length} values, found ${values.length}`);
}

/** Throws unless every value is a number other than NaN or ±Infinity. */
export function assertFiniteValues(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${name}: expected finite values, found ${values[i]} at ${i}`);
  }
}
