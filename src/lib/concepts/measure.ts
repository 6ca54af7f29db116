// Morpho-MNIST-style concepts of digit images, measured from their pixels (Castro et al., "Morpho-
// MNIST: quantitative assessment and diagnostics for representation learning", JMLR 2019):
// upscale 4× (bicubic), binarize at half the maximum, then the skeleton (Zhang–Suen thinning,
// with its spurs pruned) and the exact Euclidean distance transform give length, thickness,
// endpoints and junctions;
// image moments give slant and the de-slanted box; background regions give holes.
import { SCALE, gridFor } from "./grid.js";
import { upscale } from "./upscale.js";
import { binarize } from "./binarize.js";
import { distanceTransform } from "./distance.js";
import { removeRedundant, skeletonize } from "./thinning.js";
import { pruneSpurs } from "./prune.js";
import { countHoles } from "./holes.js";
import { shapeOf } from "./moments.js";
import { strokeMeasures } from "./skeleton-graph.js";
import { CONCEPT_NAMES, type ConceptColumns, type DigitConcepts } from "./types.js";
import { describeValue } from "../validate-input.js";

function checkSide(side: number): void {
  if (typeof side !== "number" || !Number.isInteger(side) || side < 1) {
    throw new Error(`measureDigit: the image side must be an integer >= 1, found ${describeValue(side)}`);
  }
}

/** The concepts of the side × side image at `offset` in `images`. */
function measureAt(images: Uint8Array, offset: number, side: number): DigitConcepts {
  const grid = gridFor(side);
  const pixels = images.subarray(offset, offset + side * side);
  let max = 0;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] > max) max = pixels[i];
  upscale(pixels, grid);
  const count = binarize(grid, max);
  if (count === 0) return { area: 0, length: 0, thickness: NaN, slant: NaN, width: NaN, height: NaN, holes: 0, endpoints: 0, junctions: 0 };
  distanceTransform(grid);
  const shape = shapeOf(grid, count);
  const holes = countHoles(grid);
  // Pruning can leave the pixel a spur hung from: tidy again so the branch point goes with it.
  const strokes = strokeMeasures(grid, removeRedundant(grid, pruneSpurs(grid, skeletonize(grid, count))));
  return {
    area: count / (SCALE * SCALE),
    length: strokes.length,
    thickness: strokes.thickness,
    slant: shape.slant,
    width: shape.width,
    height: shape.height,
    holes,
    endpoints: strokes.endpoints,
    junctions: strokes.junctions,
  };
}

/**
 * The concepts of one grayscale digit: `pixels` row-major, side × side, 0..255, white on black.
 * An empty image (all zeros) has area, length, holes, endpoints and junctions 0 and NaN slant,
 * width, height and thickness.
 */
export function measureDigit(pixels: Uint8Array, side: number): DigitConcepts {
  checkSide(side);
  if (!(pixels instanceof Uint8Array)) throw new Error(`measureDigit: pixels must be a Uint8Array, found ${describeValue(pixels)}`);
  if (pixels.length !== side * side) {
    throw new Error(`measureDigit: expected ${side} × ${side} = ${side * side} pixels, found ${pixels.length}`);
  }
  return measureAt(pixels, 0, side);
}

/** The concepts of `count` images stored one after another in `images`, as one column per concept. */
export function measureDigits(images: Uint8Array, count: number, side: number): ConceptColumns {
  checkSide(side);
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new Error(`measureDigits: the image count must be a whole number, found ${describeValue(count)}`);
  }
  if (!(images instanceof Uint8Array)) throw new Error(`measureDigits: images must be a Uint8Array, found ${describeValue(images)}`);
  if (images.length !== count * side * side) {
    throw new Error(`measureDigits: expected ${count} images of ${side} × ${side} = ${count * side * side} values, found ${images.length}`);
  }
  const columns = Object.fromEntries(CONCEPT_NAMES.map((name) => [name, new Float64Array(count)])) as ConceptColumns;
  for (let i = 0; i < count; i++) {
    const concepts = measureAt(images, i * side * side, side);
    for (const name of CONCEPT_NAMES) columns[name][i] = concepts[name];
  }
  return columns;
}
