// Run before `observable preview`: the vendor bundles must exist and loader outputs must not be
// stale. It holds the build lock meanwhile, since a build running at the same time uses (and may
// drop) the same loader outputs.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildVendorBundles } from "./vendor.js";
import { writeModelFilesModule } from "./model-files-module.js";
import { refreshLoaderCache } from "./loader-freshness.js";
import { seedFrameworkNpmVersions } from "./framework-npm-versions.js";
import { acquireBuildLock } from "./build-lock.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const lock = await acquireBuildLock(root, "dev", { label: "prepare" });
try {
  await buildVendorBundles();
  await writeModelFilesModule(root);
  if (await refreshLoaderCache(root)) process.stderr.write("prepare: loader inputs changed; loaders will re-run\n");
  await seedFrameworkNpmVersions(join(root, "src"));
} finally {
  await lock.release();
}
