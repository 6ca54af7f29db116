// A change of basis in front of an SAE: the SAE reads z = (x − mean) · transformᵀ and its
// reconstruction ẑ goes back to the layer's own units as x̂ = ẑ · inverse + mean, so that SAEs on
// the neurons, on the principal components and on the independent components are all measured
// on the same activations. PCA is a full rotation (every component, including those without
// variance), so inverse = transform; ICA keeps the k principal directions whose variance is not
// negligible (fit-basis.ts' ICA_MIN_RELATIVE_VARIANCE), and inverse is its mixing matrix
// (fit-basis.ts fits both). Downloads carry the three arrays (sae-files.ts).
import type { TF, Tensor2D } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix } from "../analysis/validate.js";
import { describeValue, isPositiveInteger } from "../validate-input.js";

export interface FittedBasis {
  name: "pca" | "ica";
  /** Width of the layer's activations. */
  dLayer: number;
  /** Coordinates in the basis: the width the SAE reads. */
  dIn: number;
  /** [dLayer] */
  mean: Float32Array;
  /** [dIn, dLayer] row-major: z = (x − mean) · transformᵀ. */
  transform: Float32Array;
  /** [dIn, dLayer] row-major: x̂ = ẑ · inverse + mean. */
  inverse: Float32Array;
}

/** Throws one message naming the first field that does not fit the others. */
export function checkBasis(basis: FittedBasis, what = "basis"): void {
  if (basis === null || typeof basis !== "object") throw new Error(`${what}: expected an object, found ${describeValue(basis)}`);
  if (basis.name !== "pca" && basis.name !== "ica") throw new Error(`${what}: name must be "pca" or "ica", found ${describeValue(basis.name)}`);
  if (!isPositiveInteger(basis.dLayer)) throw new Error(`${what}: dLayer must be a positive integer, found ${describeValue(basis.dLayer)}`);
  if (!isPositiveInteger(basis.dIn) || basis.dIn > basis.dLayer)
    throw new Error(`${what}: dIn must be an integer from 1 to dLayer (${basis.dLayer}), found ${describeValue(basis.dIn)}`);
  const sizes = { mean: basis.dLayer, transform: basis.dIn * basis.dLayer, inverse: basis.dIn * basis.dLayer };
  for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    const array = basis[name];
    if (!(array instanceof Float32Array)) throw new Error(`${what}: ${name} must be a Float32Array, found ${describeValue(array)}`);
    if (array.length !== size) throw new Error(`${what}: ${name} must hold ${size} values, found ${array.length}`);
  }
}

/** (x − mean) · transformᵀ for every row, in float64. */
export function toBasis(basis: FittedBasis, m: ActivationMatrix): ActivationMatrix {
  checkShapes(basis, m, basis.dLayer, "toBasis");
  const { dIn, dLayer, mean, transform } = basis;
  const out = new Float32Array(m.rows * dIn);
  const centred = new Float64Array(dLayer);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < dLayer; c++) centred[c] = m.data[r * dLayer + c] - mean[c];
    for (let i = 0; i < dIn; i++) {
      let sum = 0;
      for (let c = 0; c < dLayer; c++) sum += centred[c] * transform[i * dLayer + c];
      out[r * dIn + i] = sum;
    }
  }
  return { rows: m.rows, cols: dIn, data: out };
}

/** z · inverse + mean for every row, in float64: back in the layer's units. */
export function fromBasis(basis: FittedBasis, m: ActivationMatrix): ActivationMatrix {
  checkShapes(basis, m, basis.dIn, "fromBasis");
  const { dIn, dLayer, mean, inverse } = basis;
  const out = new Float32Array(m.rows * dLayer);
  const row = new Float64Array(dLayer);
  for (let r = 0; r < m.rows; r++) {
    row.set(mean);
    for (let i = 0; i < dIn; i++) {
      const z = m.data[r * dIn + i];
      if (z !== 0) for (let c = 0; c < dLayer; c++) row[c] += z * inverse[i * dLayer + c];
    }
    out.set(row, r * dLayer);
  }
  return { rows: m.rows, cols: dLayer, data: out };
}

function checkShapes(basis: FittedBasis, m: ActivationMatrix, cols: number, what: string): void {
  checkBasis(basis, `${what}: basis`);
  assertActivationMatrix(m, `${what}: activations`);
  if (m.cols !== cols) throw new Error(`${what}: the ${basis.name} basis takes ${cols} values per row, the activations have ${m.cols}`);
}

/** The basis on the backend, folded so that each direction is one fused matMul. */
export interface UploadedBasis {
  readonly basis: FittedBasis;
  /** x ↦ (x − mean) · transformᵀ, rows [n, dLayer] to [n, dIn]. */
  toBasis(x: Tensor2D): Tensor2D;
  /** z ↦ z · inverse + mean, rows [n, dIn] to [n, dLayer]. */
  fromBasis(z: Tensor2D): Tensor2D;
  dispose(): void;
}

export function uploadBasis(tf: TF, basis: FittedBasis): UploadedBasis {
  checkBasis(basis);
  const { dIn, dLayer, mean, transform } = basis;
  // (x − mean) · Tᵀ = x · Tᵀ − mean · Tᵀ; Tᵀ is stored, so no matMul is transposed.
  const transposed = new Float32Array(dLayer * dIn);
  const offset = new Float32Array(dIn);
  for (let i = 0; i < dIn; i++) {
    let sum = 0;
    for (let c = 0; c < dLayer; c++) {
      transposed[c * dIn + i] = transform[i * dLayer + c];
      sum += mean[c] * transform[i * dLayer + c];
    }
    offset[i] = -sum;
  }
  const tensors = {
    transposed: tf.tensor2d(transposed, [dLayer, dIn]),
    offset: tf.tensor1d(offset),
    inverse: tf.tensor2d(basis.inverse, [dIn, dLayer]),
    mean: tf.tensor1d(mean),
  };
  return {
    basis,
    toBasis: (x) => tf.fused.matMul({ a: x, b: tensors.transposed, bias: tensors.offset }) as Tensor2D,
    fromBasis: (z) => tf.fused.matMul({ a: z, b: tensors.inverse, bias: tensors.mean }) as Tensor2D,
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}
