// Builds started while another build (or `npm run dev`'s prepare step) runs: they wait for the
// build lock, say whom they wait for, and every build publishes a complete site.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { acquireBuildLock } from "../../data-loaders/build/build-lock.js";
import { findMissingFiles } from "../../data-loaders/build/site-completeness.js";
import { dist, ensureSite, leftovers, root, startBuild, unservedFiles } from "./build-harness.js";

// The first of these builds is cold when the build tests run on a fresh clone (about 13 min here).
describe("concurrent builds", { timeout: 30 * 60 * 1000 }, () => {
  before(ensureSite);

  test("two builds started while dev's prepare step holds the lock wait, then run one after the other", async () => {
    const dev = await acquireBuildLock(root, "dev", { log: () => {} });
    const first = startBuild();
    const second = startBuild();
    const waitingForDev = new RegExp(`build: waiting for the \`npm run dev\` prepare step started by pid ${process.pid} at \\d\\d:\\d\\d:\\d\\d to finish`);
    await Promise.all([first.waitFor(waitingForDev), second.waitFor(waitingForDev)]);
    await dev.release();

    // One takes the lock; the other waits for it, naming it.
    const results = [first, second].map((build, i) =>
      build.done.then(async (result) => {
        // Each build's dist/ is complete the moment it exits (the other one may still be running).
        const missing = await findMissingFiles(dist);
        return { ...result, missing, which: i };
      }),
    );
    const [a, b] = await Promise.all(results);
    for (const result of [a, b]) {
      const build = result.which === 0 ? first : second;
      assert.equal(result.code, 0, `build ${result.which} failed:\n${build.output.stderr.slice(-3000)}`);
      assert.equal(result.blocked, "", "a build tried to reach the network");
      assert.deepEqual(result.missing, [], `dist/ was incomplete when build ${result.which} finished`);
      assert.match(build.output.stderr, /build: site written to dist\/ in [\d.]+ s/);
    }
    const waited = [first, second].filter((build) => /build: waiting for the build started by pid \d+/.test(build.output.stderr));
    assert.equal(waited.length, 1, "exactly one build should have waited for the other");
    const other = waited[0] === first ? second : first;
    assert.match(waited[0].output.stderr, new RegExp(`waiting for the build started by pid ${other.pid} at`));

    assert.deepEqual(leftovers(), []);
    assert.ok(existsSync(join(dist, "index.html")));
    assert.deepEqual(await unservedFiles(), [], "dist/ serves with missing files");
  });
});
