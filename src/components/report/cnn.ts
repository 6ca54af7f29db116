// The sections only convolutional models have: filters, feature maps with receptive fields, and
// top-activating patches.
import { networkActivations, type ActivationCache } from "../../lib/network/forward.js";
import { preprocessDrawing } from "../../lib/analysis/digit-preprocess.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import type { DrawingValue } from "../drawing-pad.js";
import type { ReportContext } from "./context.js";

export * from "./filters.js";
export * from "./feature-maps.js";
export * from "./top-patches.js";

export type FeatureMapInput = { input: Float32Array; activations: ActivationCache; error: null } | { error: string };

/** The drawn digit when the pad holds one, else the chosen test image; and every activation of it. */
export async function featureMapInput(ctx: ReportContext, imageIndex: unknown, drawing: DrawingValue | null): Promise<FeatureMapInput> {
  const { testSet } = ctx;
  let input = drawing ? preprocessDrawing(drawing.gray, drawing.width, drawing.height) : null;
  if (!input) {
    const checked = checkNumberInput(imageIndex, { label: "Maps: test image #", min: 0, max: testSet.count - 1, integer: true });
    if (checked.error !== null) return { error: checked.error };
    const pixels = testSet.rows * testSet.cols;
    input = Float32Array.from(testSet.images.subarray(checked.value * pixels, (checked.value + 1) * pixels), (v) => v / 255);
  }
  return { input, activations: await networkActivations(ctx.tf, ctx.model.network, input, 1, { scaleInputs: 1 }), error: null };
}
