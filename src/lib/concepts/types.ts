// The Morpho-MNIST-style concepts measured from a digit's pixels, and their column order (the
// order of the CSV written by csv.ts and of every table built from it).

/** The measured concepts, in column order. */
export const CONCEPT_NAMES = ["area", "length", "thickness", "slant", "width", "height", "holes", "endpoints", "junctions"] as const;

export type ConceptName = (typeof CONCEPT_NAMES)[number];

/** The concepts that are counts: written without decimals, and must be whole numbers when read. */
export const INTEGER_CONCEPTS: ReadonlySet<ConceptName> = new Set<ConceptName>(["holes", "endpoints", "junctions"]);

/**
 * One image's concepts, lengths in pixels of the original image (measured on the 4x upscaled
 * digit and divided back). An empty image (nothing reaches the threshold) has area, length,
 * holes, endpoints and junctions 0, and NaN slant, width, height and thickness.
 */
export interface DigitConcepts {
  /** Pixels of the binarized digit. */
  area: number;
  /** Length of the skeleton (spurs pruned): 1 per horizontal or vertical step, √2 per diagonal step. */
  length: number;
  /** 2 × the mean Euclidean distance to the background over the skeleton pixels. */
  thickness: number;
  /** Shear angle in radians, positive when the digit leans right ("/"); see moments.ts. */
  slant: number;
  /** Width of the de-slanted digit's bounding box. */
  width: number;
  /** Height of the digit's bounding box (shearing along x leaves it unchanged). */
  height: number;
  /** Closed loops: background regions (4-connected) that do not reach the border. */
  holes: number;
  /** Skeleton pixels with exactly one skeleton neighbour (8-connected). */
  endpoints: number;
  /** Branch points: 8-connected clusters of skeleton pixels with 3 or more skeleton neighbours. */
  junctions: number;
}

/** Every image's concepts, one column per concept, images in dataset order. */
export type ConceptColumns = Record<ConceptName, Float64Array>;
