// `npm run build`: vendor bundles, loader freshness, then `observable build` into a scratch
// folder that replaces dist/ only when the whole build succeeded. A failed build (a bad dataset,
// a diverging model) exits non-zero and leaves the last good dist/ untouched.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildVendorBundles } from "./vendor.js";
import { writeModelFilesModule } from "./model-files-module.js";
import { precomputeModels } from "./precompute-models.js";
import { refreshLoaderCache } from "./loader-freshness.js";
import { seedFrameworkNpmVersions } from "./framework-npm-versions.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.on("error", fail);
    child.on("close", (code) => done(code ?? 1));
  });
}

export async function buildSite(options: { output?: string } = {}): Promise<void> {
  const output = join(root, options.output ?? "dist");
  const scratch = `${output}.next`;
  const previous = `${output}.previous`;
  const started = performance.now();
  await buildVendorBundles();
  await writeModelFilesModule(root);
  if (await refreshLoaderCache(root)) process.stderr.write("build: loader inputs changed; loaders will re-run\n");
  await seedFrameworkNpmVersions(join(root, "src"));
  await precomputeModels({ root });
  await rm(scratch, { recursive: true, force: true });
  // Framework runs .ts loaders with `tsx` from PATH: make sure ours is found, however we were started.
  const bin = join(root, "node_modules", ".bin");
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`, SITE_OUTPUT_DIR: scratch, OBSERVABLE_TELEMETRY_DISABLE: "true" };
  const code = await run(join(bin, "observable"), ["build"], env);
  if (code !== 0 || !existsSync(join(scratch, "index.html"))) {
    await rm(scratch, { recursive: true, force: true });
    const kept = existsSync(output) ? `the last good site in ${output} is unchanged` : "no site was written";
    throw new Error(`observable build failed (exit code ${code}); ${kept}. See the messages above.`);
  }
  await rm(previous, { recursive: true, force: true });
  if (existsSync(output)) await rename(output, previous);
  await rename(scratch, output);
  await rm(previous, { recursive: true, force: true });
  process.stderr.write(`build: site written to ${output} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildSite();
  } catch (error) {
    process.stderr.write(`build failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
