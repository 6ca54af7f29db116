// Framework's standard library has lazy `import("npm:…")`s of libraries our pages never use
// (echarts, leaflet, react, …). Bundling it, `observable build` resolves each one's "latest"
// version by asking the npm registry, unless `.observablehq/cache/_npm/<name>@<version>/`
// already exists. Seeding those folders makes the build need no network at all and keeps the
// output independent of what "latest" is today. The versions only name URLs that our pages
// never load (they import libraries from node_modules or src/vendor instead).
import { existsSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** Every npm: specifier Framework 1.13.4's client code imports lazily, with a fixed version. */
export const FRAMEWORK_LAZY_NPM_VERSIONS: Record<string, string> = {
  "@observablehq/plot": "0.6.17",
  "@observablehq/sample-datasets": "1.0.1",
  "apache-arrow": "21.2.0",
  arquero: "8.0.3",
  d3: "7.9.2",
  "d3-dsv": "3.0.2",
  echarts: "6.1.0",
  htl: "1.0.0",
  leaflet: "1.9.4",
  lodash: "4.18.1",
  "mapbox-gl": "3.32.0",
  "parquet-wasm": "0.8.0",
  react: "19.3.1",
  "react-dom": "19.3.1",
  "topojson-client": "3.1.0",
};

/** Creates the version folders Framework reads as its npm version cache; keeps any it has. */
export async function seedFrameworkNpmVersions(sourceRoot: string): Promise<void> {
  const npmCache = join(sourceRoot, ".observablehq", "cache", "_npm");
  for (const [name, version] of Object.entries(FRAMEWORK_LAZY_NPM_VERSIONS)) {
    const scopeDir = name.includes("/") ? join(npmCache, name.split("/")[0]) : npmCache;
    const base = name.includes("/") ? name.split("/")[1] : name;
    const known = existsSync(scopeDir) && readdirSync(scopeDir).some((entry) => entry.startsWith(`${base}@`));
    if (!known) await mkdir(join(npmCache, `${name}@${version}`), { recursive: true });
  }
}
