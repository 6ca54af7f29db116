import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FRAMEWORK_LAZY_NPM_VERSIONS, seedFrameworkNpmVersions } from "../../../../data-loaders/build/framework-npm-versions.js";

describe("seedFrameworkNpmVersions", () => {
  test("creates a version folder per lazy import, scoped names included, and keeps versions already known", async () => {
    const src = mkdtempSync(join(tmpdir(), "npm-seed-"));
    const npm = join(src, ".observablehq", "cache", "_npm");
    mkdirSync(join(npm, "echarts@5.0.0"), { recursive: true });
    await seedFrameworkNpmVersions(src);
    assert.ok(existsSync(join(npm, `react@${FRAMEWORK_LAZY_NPM_VERSIONS.react}`)));
    assert.ok(existsSync(join(npm, "@observablehq", `plot@${FRAMEWORK_LAZY_NPM_VERSIONS["@observablehq/plot"]}`)));
    assert.deepEqual(
      readdirSync(npm).filter((e) => e.startsWith("echarts@")),
      ["echarts@5.0.0"],
      "a known version is not duplicated",
    );
    const unscoped = Object.keys(FRAMEWORK_LAZY_NPM_VERSIONS).filter((n) => !n.includes("/")).length;
    assert.equal(readdirSync(npm).filter((e) => e.includes("@") && !e.startsWith("@")).length, unscoped);
  });
});
