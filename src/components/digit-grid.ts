// A grid of dataset images with their labels.
import { digitCanvas } from "./digit-canvas.js";
import { figureGrid } from "./image-grid.js";

export interface DigitGridOptions {
  rows?: number;
  cols?: number;
  scale?: number;
  classNames?: string[];
  /** Extra caption per shown image, e.g. "pred 7". */
  caption?: (index: number) => string;
}

export function digitGrid(images: Uint8Array, labels: ArrayLike<number>, indices: ArrayLike<number>, options: DigitGridOptions = {}): HTMLElement {
  const { rows = 28, cols = 28, scale = 2, classNames } = options;
  const pixels = rows * cols;
  return figureGrid(
    Array.from(indices, (index) => {
      const name = classNames?.[labels[index]] ?? String(labels[index]);
      const canvas = digitCanvas(images.subarray(index * pixels, (index + 1) * pixels), { rows, cols, scale, title: `test #${index}: ${name}` });
      return { canvas, label: options.caption ? options.caption(index) : name };
    }),
  );
}
