// The SAEs of one layer at a glance: the trade-off charts (sparsity against reconstruction and
// against downstream loss recovered), by architecture and basis, and a table of every metric with
// each SAE's download (safetensors + cfg.json, built in the browser from the sweep file's bytes).
import * as Plot from "@observablehq/plot";
import type { SweepFile, SweepMetrics } from "../../lib/sae/sweep-file.js";
import { saeDownload } from "../../lib/sae/sweep-file.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId } from "../chart-helpers.js";
import { table } from "../report/table.js";

/** One SAE as the charts and tables show it: from the sweep, or trained live on this page. */
export interface ShownSae {
  id: string;
  source: "sweep" | "live";
  architecture: string;
  basis: string;
  dSae: number;
  metrics: SweepMetrics;
}

export function sweepSaes(sweep: SweepFile): ShownSae[] {
  return sweep.saes.map((s) => ({ id: s.id, source: "sweep", architecture: s.config.architecture, basis: s.basis, dSae: s.config.dSae, metrics: s.metrics }));
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

/** L0 against variance explained and against loss recovered (mean ablation), one dot per SAE; the chosen one ringed. */
export function paretoCharts(saes: readonly ShownSae[], chosen: string, options: { width?: number } = {}): Element {
  const width = resolveWidth(options.width, "paretoCharts");
  const each = width >= 700 ? Math.floor((width - 24) / 2) : width;
  const data = saes.map((s) => ({
    ...s,
    l0: s.metrics.l0,
    fve: s.metrics.fractionVarianceExplained,
    recovered: s.metrics.lossRecoveredMean,
    group: `${s.architecture} on ${s.basis}`,
  }));
  const chart = (y: "fve" | "recovered", label: string) =>
    Plot.plot({
      width: each,
      height: 300,
      marginLeft: 50,
      x: { type: "log", label: "L0: active latents per input (log scale)", grid: true },
      y: { label, grid: true, tickFormat: (v: number) => pct(v, 0) },
      color: { legend: y === "fve", scheme: CATEGORICAL_SCHEME },
      symbol: { legend: y === "fve" },
      marks: [
        Plot.dot(data, {
          x: "l0",
          y,
          stroke: "architecture",
          symbol: "basis",
          r: 4,
          tip: true,
          title: (d: (typeof data)[number]) => `${d.id}${d.source === "live" ? " (trained here)" : ""}\nL0 ${d.l0.toFixed(2)}, ${label} ${pct(d[y])}`,
        }),
        Plot.dot(
          data.filter((d) => d.id === chosen),
          { x: "l0", y, r: 9, stroke: "black", strokeWidth: 2 },
        ),
        Plot.text(
          data.filter((d) => d.source === "live"),
          { x: "l0", y, text: () => "live", dy: -12, fontSize: 10 },
        ),
      ],
    }) as Element;
  const row = document.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:24px";
  row.append(chart("fve", "variance explained"), chart("recovered", "loss recovered (mean ablation)"));
  return setTestId(row, "sae-pareto");
}

/** Every metric of every SAE; the sweep's SAEs with their downloads. */
export function saeTable(sweep: SweepFile, saes: readonly ShownSae[]): Element {
  const box = document.createElement("div");
  box.append(
    table(
      saes.map((s) => ({
        SAE: s.id,
        latents: s.dSae,
        L0: s.metrics.l0.toFixed(2),
        "variance explained": pct(s.metrics.fractionVarianceExplained),
        "normalized MSE": s.metrics.normalizedMse.toFixed(3),
        dead: s.metrics.dead.length,
        dense: s.metrics.dense.length,
        "accuracy spliced": pct(s.metrics.accuracy, 2),
        "loss recovered (zero / mean)": `${pct(s.metrics.lossRecoveredZero)} / ${pct(s.metrics.lossRecoveredMean)}`,
        shrinkage: s.metrics.shrinkage.toFixed(3),
        "relative bias": s.metrics.relativeReconstructionBias.toFixed(3),
      })),
      { testId: "sae-table" },
    ),
  );
  return box;
}

/** Links to one sweep SAE's safetensors and cfg.json, made in the browser from the sweep file. */
export function saeDownloads(sweep: SweepFile, id: string): Element {
  const span = document.createElement("span");
  span.dataset.testid = "sae-downloads";
  if (!sweep.saes.some((s) => s.id === id)) {
    span.textContent = "(trained on this page: no download)";
    return span;
  }
  const { safetensors, cfgJson } = saeDownload(sweep, id);
  const name = `${sweep.model}-${sweep.layer}-${id.replace(/[^A-Za-z0-9_.-]+/g, "_")}`;
  const link = (blob: Blob, file: string) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = file;
    a.textContent = file;
    return a;
  };
  span.append(
    link(new Blob([safetensors as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }), `${name}.safetensors`),
    ", ",
    link(new Blob([JSON.stringify(cfgJson, null, 2)], { type: "application/json" }), `${name}.cfg.json`),
  );
  return span;
}
