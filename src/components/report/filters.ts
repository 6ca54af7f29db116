// Report section for convolutional models: the learned filters of a conv layer as small images,
// one row per filter (output channel) and one column per input channel, on one colour scale per
// layer (red positive, blue negative, white 0).
import type { Conv2dLayer } from "../../lib/network/network.js";
import { digitCanvas } from "../digit-canvas.js";
import type { ReportContext } from "./context.js";

/** The conv layers of the model, input side first. */
export function convLayers(ctx: ReportContext): Conv2dLayer[] {
  return ctx.model.network.layers.filter((l): l is Conv2dLayer => l.kind === "conv2d");
}

/** Weights of filter `out` on input channel `input`, as a kernelHeight × kernelWidth image. */
export function filterImage(layer: Conv2dLayer, input: number, out: number): Float32Array {
  const [kh, kw] = layer.kernelSize;
  const image = new Float32Array(kh * kw);
  for (let r = 0; r < kh; r++) {
    for (let c = 0; c < kw; c++) image[r * kw + c] = layer.kernel[((r * kw + c) * layer.inChannels + input) * layer.filters + out];
  }
  return image;
}

export function filterGrid(layer: Conv2dLayer, options: { pixel?: number } = {}): Element {
  const pixel = options.pixel ?? (layer.inChannels === 1 ? 14 : 8);
  const [kh, kw] = layer.kernelSize;
  let max = 0;
  for (const v of layer.kernel) max = Math.max(max, Math.abs(v));
  const figure = document.createElement("figure");
  figure.dataset.testid = "filters";
  figure.style.margin = "0 0 1rem";
  const grid = document.createElement("div");
  grid.style.cssText = `display:grid;grid-template-columns:auto repeat(${layer.inChannels}, max-content);gap:3px 3px;align-items:center;font:11px var(--sans-serif)`;
  for (let out = 0; out < layer.filters; out++) {
    const label = document.createElement("span");
    label.textContent = `${out}`;
    label.style.paddingRight = "4px";
    grid.append(label);
    for (let input = 0; input < layer.inChannels; input++) {
      grid.append(
        digitCanvas(filterImage(layer, input, out), {
          rows: kh,
          cols: kw,
          scale: pixel,
          colors: "diverging",
          max,
          title: `${layer.name} filter ${out}, input channel ${input}`,
        }),
      );
    }
  }
  const caption = document.createElement("figcaption");
  caption.textContent = `${layer.name}: ${layer.filters} filters of ${kh}×${kw}${layer.inChannels > 1 ? ` × ${layer.inChannels} input channels (columns)` : ""}; colour scale ±${max.toFixed(3)}`;
  figure.append(caption, grid);
  return figure;
}
