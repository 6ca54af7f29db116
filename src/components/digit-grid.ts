// A grid of dataset images with their labels.
import { digitCanvas } from "./digit-canvas.js";

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
  const grid = document.createElement("div");
  grid.className = "digit-grid";
  grid.style.display = "flex";
  grid.style.flexWrap = "wrap";
  grid.style.gap = "6px";
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k];
    const name = classNames?.[labels[index]] ?? String(labels[index]);
    const figure = document.createElement("figure");
    figure.style.margin = "0";
    figure.style.textAlign = "center";
    figure.append(digitCanvas(images.subarray(index * pixels, (index + 1) * pixels), { rows, cols, scale, title: `test #${index}: ${name}` }));
    const caption = document.createElement("figcaption");
    caption.style.font = "11px var(--sans-serif)";
    caption.textContent = options.caption ? options.caption(index) : name;
    figure.append(caption);
    grid.append(figure);
  }
  return grid;
}
