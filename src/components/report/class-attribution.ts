// Report section: which pixels make the network call an image a given class, by five methods side
// by side: saliency and gradient × input of the class logit, Grad-CAM on a conv layer (models with
// one), occlusion sensitivity and KernelSHAP over pixel patches. Each works on any model of the
// registry; the image is a test image or a digit the reader drew.
import { saliency } from "../../lib/network/gradients.js";
import { gradCam, kernelShap, occlusion, type GradCam, type OcclusionMap, type ShapMap } from "../../lib/network/attribution.js";
import { activations, LOGITS } from "../../lib/network/network.js";
import { preprocessDrawing } from "../../lib/analysis/digit-preprocess.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import type { DrawingValue } from "../drawing-pad.js";
import { digitCanvas } from "../digit-canvas.js";
import { cellError } from "../cell-error.js";
import { selectControl, textControl, type Control } from "../controls.js";
import { classControl } from "./activations.js";
import type { ReportContext } from "./context.js";

/** The methods' settings, stated on the page. */
export const ATTRIBUTION_SETTINGS = { occlusion: { patch: 4, stride: 2, fill: 0 }, shap: { patch: 4, samples: 1000, baseline: 0, seed: 0 } };

export interface ClassAttributionControls {
  image: Control<string | number>;
  className: Control<number>;
  camLayer: Control<string> | null;
}

/** The spatial layers Grad-CAM can use (none for an MLP). */
export function camLayers(ctx: ReportContext): string[] {
  return activations(ctx.model.network)
    .filter((a) => a.shape.length === 3 && a.kind === "relu")
    .map((a) => a.name);
}

export function classAttributionControls(ctx: ReportContext): ClassAttributionControls {
  const layers = camLayers(ctx);
  return {
    image: textControl({ label: "Attribution image #", value: "0", numeric: true, key: "cls-image" }),
    className: classControl(ctx, { label: "Class", key: "cls-class", value: 7 }),
    camLayer: layers.length > 0 ? selectControl({ label: "Grad-CAM layer", options: layers, value: layers[layers.length - 1], key: "cls-cam" }) : null,
  };
}

export interface ClassAttribution {
  source: string;
  image: Float32Array;
  classIndex: number;
  gradient: Float32Array;
  gradientTimesInput: Float32Array;
  logit: number;
  cam: GradCam | null;
  occlusion: OcclusionMap;
  shap: ShapMap;
}

/** The drawn digit when there is one, else the chosen test image; then all five maps for the class. */
export async function computeClassAttribution(
  ctx: ReportContext,
  index: unknown,
  drawing: DrawingValue | null,
  classIndex: number,
  camLayer: string | null,
): Promise<ClassAttribution | { error: string }> {
  const { testSet, tf } = ctx;
  const network = ctx.model.network;
  let image = drawing ? preprocessDrawing(drawing.gray, drawing.width, drawing.height) : null;
  let source = "the drawn digit";
  if (!image) {
    const checked = checkNumberInput(index, { label: "Attribution image #", min: 0, max: testSet.count - 1, integer: true });
    if (checked.error !== null) return { error: checked.error };
    const pixels = testSet.rows * testSet.cols;
    image = Float32Array.from(testSet.images.subarray(checked.value * pixels, (checked.value + 1) * pixels), (v) => v / 255);
    source = `test image #${checked.value} (class ${ctx.classNames[testSet.labels[checked.value]]})`;
  }
  const gradients = await saliency(tf, network, image, { layer: LOGITS, unit: classIndex });
  const cam = camLayer ? await gradCam(tf, network, image, classIndex, camLayer) : null;
  await ctx.pause();
  const occluded = await occlusion(tf, network, image, classIndex, ATTRIBUTION_SETTINGS.occlusion);
  await ctx.pause();
  const shap = await kernelShap(tf, network, image, classIndex, ATTRIBUTION_SETTINGS.shap);
  return {
    source,
    image,
    classIndex,
    gradient: gradients.gradient,
    gradientTimesInput: gradients.gradientTimesInput,
    logit: gradients.activation,
    cam,
    occlusion: occluded,
    shap,
  };
}

export function classAttributionSection(ctx: ReportContext, result: ClassAttribution | { error: string }): Element {
  if ("error" in result) return cellError(result.error);
  const side = ctx.testSet.cols;
  const size = { rows: side, cols: side, scale: 4 };
  const figure = (canvas: HTMLCanvasElement, caption: string) => {
    const f = document.createElement("figure");
    f.style.margin = "0";
    const c = document.createElement("figcaption");
    c.textContent = caption;
    c.style.maxWidth = `${side * size.scale}px`;
    // Room for the longest caption, so that the section keeps its height when the image changes
    // (a drawn digit's caption is shorter): content below, such as the drawing pad, stays put.
    c.style.minHeight = "4lh";
    f.append(canvas, c);
    return f;
  };
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:1.25rem";
  box.dataset.testid = "class-attribution";
  const name = ctx.classNames[result.classIndex];
  box.append(
    figure(digitCanvas(result.image, { ...size, max: 1 }), `${result.source}; logit of ${name} = ${result.logit.toFixed(3)}`),
    figure(digitCanvas(result.gradient, { ...size, colors: "diverging" }), "saliency"),
    figure(digitCanvas(result.gradientTimesInput, { ...size, colors: "diverging" }), "gradient × input"),
    result.cam
      ? figure(
          digitCanvas(result.cam.upsampled, { ...size, max: Math.max(...result.cam.upsampled) || 1 }),
          `Grad-CAM on ${result.cam.layer} (${result.cam.height}×${result.cam.width}, resized)`,
        )
      : figure(digitCanvas(new Float32Array(side * side), { ...size, max: 1 }), "Grad-CAM: this model has no convolutional layer"),
    figure(digitCanvas(result.occlusion.map, { ...size, colors: "diverging" }), "occlusion: drop of the logit"),
    figure(digitCanvas(result.shap.map, { ...size, colors: "diverging" }), `KernelSHAP (sum ${(result.shap.full - result.shap.empty).toFixed(2)})`),
  );
  return box;
}
