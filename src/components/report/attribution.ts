// Report section: which pixels drive one unit on one test image: the saliency (gradient of the
// unit with respect to each pixel), gradient × input, and the one-pixel map (the unit's value
// when only that pixel is lit). A conv channel's unit value is its mean over positions.
import { saliency, onePixelMap } from "../../lib/network/gradients.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { digitCanvas } from "../digit-canvas.js";
import { cellError } from "../cell-error.js";
import { textControl, type Control } from "../controls.js";
import { layerControl } from "./activations.js";
import { unitCount, type ReportContext } from "./context.js";

export interface AttributionControls {
  image: Control<string | number>;
  layer: Control<string>;
  unit: Control<string | number>;
}

export function attributionControls(ctx: ReportContext): AttributionControls {
  return {
    image: textControl({ label: "Test image #", value: "0", numeric: true, key: "attr-image" }),
    layer: layerControl(ctx, {
      label: "Attribution layer",
      key: "attr-layer",
      which: "all",
      value: ctx.model.network.layers.find((l) => l.kind === "relu")?.name,
    }),
    unit: textControl({ label: "Unit", value: "0", numeric: true, key: "attr-unit" }),
  };
}

export interface Attribution {
  index: number;
  layer: string;
  unit: number;
  image: Float32Array;
  gradient: Float32Array;
  gradientTimesInput: Float32Array;
  activation: number;
  onePixel: Float32Array;
}

export async function computeAttribution(ctx: ReportContext, index: unknown, layer: string, unit: unknown): Promise<Attribution | { error: string }> {
  const { testSet } = ctx;
  const image = checkNumberInput(index, { label: "Test image #", min: 0, max: testSet.count - 1, integer: true });
  if (image.error !== null) return { error: image.error };
  const units = unitCount(ctx, layer);
  const checkedUnit = checkNumberInput(unit, { label: "Unit", min: 0, max: units - 1, integer: true });
  if (checkedUnit.error !== null) return { error: `${checkedUnit.error} (${layer} has ${units} units.)` };
  const pixels = testSet.rows * testSet.cols;
  const values = Float32Array.from(testSet.images.subarray(image.value * pixels, (image.value + 1) * pixels), (v) => v / 255);
  const target = { layer, unit: checkedUnit.value };
  const [gradients, onePixel] = await Promise.all([saliency(ctx.tf, ctx.model.network, values, target), onePixelMap(ctx.tf, ctx.model.network, target)]);
  return { index: image.value, layer, unit: checkedUnit.value, image: values, ...gradients, onePixel };
}

export function attributionSection(ctx: ReportContext, result: Attribution | { error: string }): Element {
  if ("error" in result) return cellError(result.error);
  const { testSet, classNames } = ctx;
  const size = { rows: testSet.rows, cols: testSet.cols, scale: 5 };
  const figure = (canvas: HTMLCanvasElement, caption: string) => {
    const f = document.createElement("figure");
    f.style.margin = "0";
    const c = document.createElement("figcaption");
    c.textContent = caption;
    f.append(canvas, c);
    return f;
  };
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:1.5rem";
  box.dataset.testid = "attribution";
  box.append(
    figure(
      digitCanvas(result.image, { ...size, max: 1 }),
      `test #${result.index}, class ${classNames[testSet.labels[result.index]]}; ${result.layer}[${result.unit}] = ${result.activation.toFixed(3)}`,
    ),
    figure(digitCanvas(result.gradient, { ...size, colors: "diverging" }), "saliency"),
    figure(digitCanvas(result.gradientTimesInput, { ...size, colors: "diverging" }), "gradient × input"),
    figure(digitCanvas(result.onePixel, { ...size, colors: "diverging" }), "one-pixel map"),
  );
  return box;
}
