// The plain data description every analysis works against, so the same code runs on an MLP's
// neurons, a CNN's channels and a sparse autoencoder's features.

/** Activations of one layer on a set of examples: rows = examples, cols = units, row-major. */
export interface ActivationMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A class × unit table (row-major: data[c * units + u]), e.g. class means or selectivity. */
export interface ClassUnitMatrix {
  classes: number;
  units: number;
  data: Float64Array;
}
