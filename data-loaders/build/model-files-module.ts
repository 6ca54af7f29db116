// Framework only builds data files that pages name with a literal FileAttachment("..."). Pages
// that choose among models therefore import src/generated/model-files.ts, written here from the
// model registry before every build and preview: one literal FileAttachment per model and file,
// one per SAE sweep file (model → layer, src/lib/sae/sweep.ts) and one per model's probes, so adding
// a registry entry is all it takes to build and offer a new model, its SAEs and its probes.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MODELS, type ModelEntry } from "../../src/lib/models/registry.js";
import { saeSweep } from "../../src/lib/sae/sweep.js";

export const MODEL_FILES_MODULE = join("src", "generated", "model-files.ts");

/** The files every model has, by the key pages use, and the optional t-SNE map. */
const FILES = { modelJson: "model.json", weights: "weights.bin", history: "history.json", snapshots: "snapshots.bin", summary: "summary.json" } as const;

export function modelFilesModuleSource(models: readonly ModelEntry[] = MODELS): string {
  const attachment = (name: string, file: string) => `FileAttachment("../data/models/${name}/${file}")`;
  const entries = models.map((model) => {
    const files = Object.entries(FILES).map(([key, file]) => `    ${key}: ${attachment(model.name, file)},`);
    if (model.tsne) files.push(`    tsne: ${attachment(model.name, "tsne.bin")},`);
    return [`  ${JSON.stringify(model.name)}: {`, `    name: ${JSON.stringify(model.name)},`, ...files, "  },"].join("\n");
  });
  const sweeps = models.map((model) => {
    const layers = saeSweep(model).map(({ layer }) => `    ${layer}: FileAttachment("../data/sae/${model.name}/${layer}.bin"),`);
    return [`  ${JSON.stringify(model.name)}: {`, ...layers, "  },"].join("\n");
  });
  return [
    "// Generated from src/lib/models/registry.ts by data-loaders/build/model-files-module.ts before",
    "// every build and preview; do not edit (edit the registry instead).",
    'import { FileAttachment, type FileAttachmentHandle } from "observablehq:stdlib";',
    'import type { ModelAttachments } from "../runtime/load-model.js";',
    "",
    "export const modelFiles: Record<string, ModelAttachments> = {",
    ...entries,
    "};",
    "",
    "/** The SAE sweep file of each model's layers (src/lib/sae/sweep-file.ts), model → layer. */",
    "export const saeFiles: Record<string, Record<string, FileAttachmentHandle>> = {",
    ...sweeps,
    "};",
    "",
    "/** Every probe of each model (src/lib/probes/probe-file.ts). */",
    "export const probeFiles: Record<string, FileAttachmentHandle> = {",
    ...models.map((model) => `  ${JSON.stringify(model.name)}: FileAttachment("../data/probes/${model.name}.json"),`),
    "};",
    "",
  ].join("\n");
}

/** Writes the module if its contents changed (so Framework's preview does not reload for nothing). */
export async function writeModelFilesModule(root: string): Promise<boolean> {
  const path = join(root, MODEL_FILES_MODULE);
  const source = modelFilesModuleSource();
  if (existsSync(path) && (await readFile(path, "utf8")) === source) return false;
  await mkdir(join(root, "src", "generated"), { recursive: true });
  await writeFile(path, source);
  return true;
}
