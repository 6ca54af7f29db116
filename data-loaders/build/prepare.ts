// Run before `observable preview`: the vendor bundles must exist and loader outputs must not be stale.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildVendorBundles } from "./vendor.js";
import { writeModelFilesModule } from "./model-files-module.js";
import { refreshLoaderCache } from "./loader-freshness.js";
import { seedFrameworkNpmVersions } from "./framework-npm-versions.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
await buildVendorBundles();
await writeModelFilesModule(root);
if (await refreshLoaderCache(root)) process.stderr.write("prepare: loader inputs changed; loaders will re-run\n");
await seedFrameworkNpmVersions(join(root, "src"));
