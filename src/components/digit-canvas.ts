// Draws one rows × cols image as a crisp, upscaled canvas.

export interface DigitCanvasOptions {
  rows?: number;
  cols?: number;
  /** Displayed size of one pixel in CSS pixels. */
  scale?: number;
  /** "ink": 0 = white, max = black. "diverging": negative blue, 0 white, positive red, symmetric around 0. */
  colors?: "ink" | "diverging";
  /** The value that maps to full colour; defaults to 255 for bytes, else the largest |value|. */
  max?: number;
  title?: string;
}

export function digitCanvas(values: ArrayLike<number>, options: DigitCanvasOptions = {}): HTMLCanvasElement {
  const { rows = 28, cols = 28, scale = 3, colors = "ink" } = options;
  if (values.length !== rows * cols) throw new Error(`digitCanvas: expected ${rows * cols} values, found ${values.length}`);
  let max = options.max;
  if (max === undefined) {
    max = values instanceof Uint8Array ? 255 : 0;
    if (!max) for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  }
  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  canvas.style.width = `${cols * scale}px`;
  canvas.style.height = `${rows * scale}px`;
  canvas.style.imageRendering = "pixelated";
  if (options.title) canvas.title = options.title;
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < values.length; i++) {
    const t = max > 0 ? Math.max(-1, Math.min(1, values[i] / max)) : 0;
    let r: number, g: number, b: number;
    if (colors === "ink") {
      r = g = b = Math.round(255 * (1 - Math.max(0, t)));
    } else if (t >= 0) {
      [r, g, b] = [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))];
    } else {
      [r, g, b] = [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
    }
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
