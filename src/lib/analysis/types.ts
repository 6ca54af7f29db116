// The plain data description every analysis works against, so the same code runs on an MLP's
// neurons, a CNN's channels and a sparse autoencoder's features.

/**
 * Activations of one layer on a set of examples: rows = examples, cols = values per example,
 * row-major. A conv layer's example is its whole [height, width, channels] map, channels last.
 */
export interface ActivationMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
  /** One example's shape when it is not a flat vector, e.g. [26, 26, 8]; cols is its product. */
  shape?: number[];
}

/** A class × unit table (row-major: data[c * units + u]), e.g. class means or selectivity. */
export interface ClassUnitMatrix {
  classes: number;
  units: number;
  data: Float64Array;
}
