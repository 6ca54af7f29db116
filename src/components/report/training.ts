// Report section: how training went (loss and accuracy per epoch) and where to get the weights.
import { trainingCurves } from "../training-curves.js";
import type { ReportContext } from "./context.js";

export function trainingSection(ctx: ReportContext, { width }: { width: number }): Element {
  return trainingCurves(ctx.model.record.history, { width });
}

/** Links to the exported model (tfjs layers format), named for the model so downloads do not clash. */
export function downloadLinks(ctx: ReportContext): Element {
  const span = document.createElement("span");
  span.className = "downloads";
  const link = (href: string, file: string) => {
    const a = document.createElement("a");
    a.href = href;
    a.download = file;
    a.textContent = file;
    return a;
  };
  span.append(link(ctx.model.downloads.modelJson, "model.json"), ", ", link(ctx.model.downloads.weights, "weights.bin"));
  return span;
}
