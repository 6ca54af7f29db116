// Report section for convolutional models: every spatial activation of one input as a grid of
// channel maps, on a colour scale per map, per layer or shared by all layers (as CNN Explainer
// offers). Clicking a map picks a unit (layer, channel, position); the receptive-field view then
// shows which input pixels it sees and, for a first-layer unit, its kernel times the input patch.
import type { ActivationCache } from "../../lib/network/forward.js";
import { activations, type Conv2dLayer } from "../../lib/network/network.js";
import { receptiveField, type PixelBox } from "../../lib/network/receptive-field.js";
import { digitCanvas } from "../digit-canvas.js";
import { selectControl, type Control } from "../controls.js";
import { filterImage } from "./filters.js";
import type { ReportContext } from "./context.js";

export type ColourScale = "map" | "layer" | "global";

export interface PickedUnit {
  layer: string;
  channel: number;
  position: [number, number];
}

export function colourScaleControl(): Control<ColourScale> {
  const labels: Record<ColourScale, string> = { map: "per map", layer: "per layer", global: "global" };
  return selectControl<ColourScale>({
    label: "Colour scale",
    options: ["map", "layer", "global"],
    value: "layer",
    key: "maps-scale",
    format: (v) => labels[v],
  });
}

/** The spatial activations ([height, width, channels]) of the model, input side first. */
export function spatialLayers(ctx: ReportContext): string[] {
  return activations(ctx.model.network)
    .filter((a) => a.shape.length === 3)
    .map((a) => a.name);
}

const largest = (values: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max || 1;
};

/** Channel `c` of example 0 of a [h, w, channels] activation, as an h × w image. */
function channelImage(values: Float32Array, shape: number[], c: number): Float32Array {
  const [h, w, channels] = shape;
  return Float32Array.from({ length: h * w }, (_, p) => values[p * channels + c]);
}

/**
 * Every spatial activation of one input (a cache with one row) as channel maps. Its value is the
 * unit last clicked (null at first), so a page can view() it.
 */
export function featureMaps(ctx: ReportContext, acts: ActivationCache, mode: ColourScale, options: { cell?: number } = {}): Control<PickedUnit | null> {
  const root = document.createElement("div") as unknown as Control<PickedUnit | null>;
  root.dataset.testid = "feature-maps";
  let picked: PickedUnit | null = null;
  Object.defineProperty(root, "value", { get: () => picked, set: (v: PickedUnit | null) => (picked = v) });
  const layers = spatialLayers(ctx);
  const globalMax = Math.max(...layers.map((l) => largest(acts[l].data)));
  for (const layer of layers) {
    const { data, shape } = acts[layer] as { data: Float32Array; shape: number[] };
    const [h, w, channels] = shape;
    const pixel = Math.max(2, Math.round((options.cell ?? 64) / Math.max(h, w)));
    const layerMax = largest(data);
    const section = document.createElement("div");
    const title = document.createElement("div");
    title.textContent = `${layer}: ${channels} maps of ${h}×${w}`;
    title.style.font = "12px var(--sans-serif)";
    const grid = document.createElement("div");
    grid.style.cssText = "display:flex;flex-wrap:wrap;gap:4px;margin:2px 0 10px";
    for (let c = 0; c < channels; c++) {
      const image = channelImage(data, shape, c);
      const max = mode === "map" ? largest(image) : mode === "layer" ? layerMax : globalMax;
      const canvas = digitCanvas(image, {
        rows: h,
        cols: w,
        scale: pixel,
        colors: "diverging",
        max,
        title: `${layer} channel ${c}: click a position to see its receptive field`,
      });
      canvas.style.cursor = "crosshair";
      canvas.dataset.layer = layer;
      canvas.dataset.channel = String(c);
      canvas.addEventListener("click", (event) => {
        const box = canvas.getBoundingClientRect();
        const row = Math.min(h - 1, Math.floor(((event.clientY - box.top) / box.height) * h));
        const col = Math.min(w - 1, Math.floor(((event.clientX - box.left) / box.width) * w));
        picked = { layer, channel: c, position: [row, col] };
        root.querySelectorAll("canvas").forEach((other) => (other.style.outline = ""));
        canvas.style.outline = "2px solid #ff8c00";
        root.dispatchEvent(new Event("input", { bubbles: true }));
      });
      grid.append(canvas);
    }
    section.append(title, grid);
    root.append(section);
  }
  return root;
}

/** The input with the unit's receptive field outlined, its value, and for a first-layer unit its kernel × patch. */
export function receptiveFieldView(ctx: ReportContext, input: Float32Array, acts: ActivationCache, picked: PickedUnit | null): Element {
  const box = document.createElement("div");
  box.dataset.testid = "receptive-field";
  if (!picked) {
    box.innerHTML = '<p class="hint"><em>Click a position in any map above to see the input pixels that unit sees.</em></p>';
    return box;
  }
  const { layer, channel, position } = picked;
  const network = ctx.model.network;
  const field = receptiveField(network, layer, position);
  const { data, shape } = acts[layer] as { data: Float32Array; shape: number[] };
  const value = data[(position[0] * shape[1] + position[1]) * shape[2] + channel];
  const side = Math.sqrt(input.length);
  const row = document.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start";
  row.append(
    figure(
      outlinedImage(input, side, field, 8),
      `${layer} channel ${channel} at [${position.join(", ")}] = ${value.toFixed(3)}; it sees rows ${field.top}–${field.bottom}, columns ${field.left}–${field.right}`,
    ),
  );
  const first = firstConv(ctx, layer);
  if (first) row.append(kernelTimesPatch(first, channel, input, side, field));
  box.append(row);
  return box;
}

/** The first conv layer, when `layer` is it or only element-wise layers lie between them. */
function firstConv(ctx: ReportContext, layer: string): Conv2dLayer | null {
  const layers = ctx.model.network.layers;
  const index = layers.findIndex((l) => l.name === layer);
  const conv = layers.findIndex((l) => l.kind === "conv2d");
  if (conv < 0 || index < conv) return null;
  const between = layers.slice(conv + 1, index + 1);
  return between.every((l) => l.kind === "relu" || l.kind === "layernorm" || l.kind === "dropout") ? (layers[conv] as Conv2dLayer) : null;
}

function kernelTimesPatch(conv: Conv2dLayer, channel: number, input: Float32Array, side: number, field: PixelBox): Element {
  const [kh, kw] = conv.kernelSize;
  const kernel = filterImage(conv, 0, channel);
  const patch = new Float32Array(kh * kw);
  for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) patch[r * kw + c] = input[(field.top + r) * side + field.left + c] ?? 0;
  const product = kernel.map((k, i) => k * patch[i]);
  const sum = product.reduce((a, b) => a + b, 0);
  const box = document.createElement("div");
  box.style.cssText = "display:flex;gap:0.75rem;align-items:center;font:12px var(--sans-serif)";
  box.append(
    figure(digitCanvas(kernel, { rows: kh, cols: kw, scale: 16, colors: "diverging" }), "kernel"),
    text("×"),
    figure(digitCanvas(patch, { rows: kh, cols: kw, scale: 16, max: 1 }), "input patch"),
    text("="),
    figure(
      digitCanvas(product, { rows: kh, cols: kw, scale: 16, colors: "diverging" }),
      `sum ${sum.toFixed(3)} + bias ${conv.bias[channel].toFixed(3)} = ${(sum + conv.bias[channel]).toFixed(3)}`,
    ),
  );
  return box;
}

/** The input image with `field` outlined (the box is drawn on a sharper canvas laid over it). */
function outlinedImage(input: Float32Array, side: number, field: PixelBox, scale: number): HTMLElement {
  const image = digitCanvas(input, { rows: side, cols: side, scale, max: 1 });
  const overlay = document.createElement("canvas");
  overlay.width = side * scale;
  overlay.height = side * scale;
  overlay.style.cssText = `position:absolute;left:0;top:0;width:${side * scale}px;height:${side * scale}px;pointer-events:none`;
  const g = overlay.getContext("2d");
  if (g) {
    g.strokeStyle = "#ff8c00";
    g.lineWidth = 2;
    g.strokeRect(field.left * scale + 1, field.top * scale + 1, (field.right - field.left + 1) * scale - 2, (field.bottom - field.top + 1) * scale - 2);
  }
  const wrapper = document.createElement("div");
  wrapper.style.position = "relative";
  wrapper.append(image, overlay);
  return wrapper;
}

function figure(content: Element, caption: string): HTMLElement {
  const f = document.createElement("figure");
  f.style.margin = "0";
  const c = document.createElement("figcaption");
  c.textContent = caption;
  f.append(content, c);
  return f;
}

function text(value: string): HTMLElement {
  const span = document.createElement("span");
  span.textContent = value;
  span.style.fontSize = "20px";
  return span;
}
