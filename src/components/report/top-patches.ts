// Report section: what a channel (or neuron) responds to. For every test image, the unit's peak
// over all positions; then the receptive-field crops of the images where it peaks highest, and
// crops from lower bands of peak values, so that "what it likes" can be told from "what it sees".
import { unitPeaks, topPeaks, peaksInBand, type UnitPeak } from "../../lib/analysis/units/top-activations.js";
import { receptiveField } from "../../lib/network/receptive-field.js";
import { activationInfo } from "../../lib/network/network.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { imageGrid } from "../image-grid.js";
import { digitCanvas } from "../digit-canvas.js";
import { cellError } from "../cell-error.js";
import type { FinalUnits, ReportContext } from "./context.js";

/** Bands of peak values (as quantiles of all test images) shown below the top crops. */
export const PEAK_BANDS: [number, number][] = [
  [0.75, 0.9],
  [0.5, 0.75],
  [0.25, 0.5],
];

function crop(ctx: ReportContext, layer: string, peak: UnitPeak): { pixels: Float32Array; rows: number; cols: number } {
  const { testSet } = ctx;
  const side = testSet.cols;
  const spatial = activationInfo(ctx.model.network, layer).shape.length === 3;
  const field = spatial ? receptiveField(ctx.model.network, layer, peak.position) : { top: 0, left: 0, bottom: testSet.rows - 1, right: side - 1 };
  const rows = field.bottom - field.top + 1;
  const cols = field.right - field.left + 1;
  const pixels = new Float32Array(rows * cols);
  const offset = peak.example * testSet.rows * side;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) pixels[r * cols + c] = testSet.images[offset + (field.top + r) * side + field.left + c] / 255;
  return { pixels, rows, cols };
}

function crops(ctx: ReportContext, layer: string, peaks: UnitPeak[], caption: string): HTMLElement {
  return imageGrid(
    caption,
    peaks.map((peak) => {
      const { pixels, rows, cols } = crop(ctx, layer, peak);
      const title = `test image ${peak.example}, class ${ctx.classNames[ctx.testSet.labels[peak.example]]}`;
      return {
        canvas: digitCanvas(pixels, { rows, cols, scale: Math.max(2, Math.round(48 / Math.max(rows, cols))), max: 1, title }),
        label: `#${peak.example}: ${peak.value.toFixed(2)}`,
      };
    }),
  );
}

export function topPatches(ctx: ReportContext, final: FinalUnits, layer: string, unit: unknown, options: { top?: number; perBand?: number } = {}): Element {
  const units = activationInfo(ctx.model.network, layer).units;
  const checked = checkNumberInput(unit, { label: "Channel", min: 0, max: units - 1, integer: true });
  if (checked.error !== null) return cellError(`${checked.error} (${layer} has ${units} channels or units.)`);
  const peaks = unitPeaks(final[layer], checked.value);
  const box = document.createElement("div");
  box.dataset.testid = "top-patches";
  box.append(
    crops(
      ctx,
      layer,
      topPeaks(peaks, options.top ?? 16),
      `The ${options.top ?? 16} test images where ${layer}[${checked.value}] peaks highest (receptive-field crop at the peak; caption: image # and peak value)`,
    ),
  );
  for (const [from, to] of PEAK_BANDS) {
    box.append(
      crops(
        ctx,
        layer,
        peaksInBand(peaks, from, to, options.perBand ?? 8),
        `Peaks between the ${Math.round(from * 100)}th and ${Math.round(to * 100)}th percentile of all test images`,
      ),
    );
  }
  return box;
}
