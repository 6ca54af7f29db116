import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsToRun, precomputeJobs, runJobs, type PrecomputeJob } from "../../../../data-loaders/build/precompute-models.js";
import { MODELS } from "../../../../src/lib/models/registry.js";

describe("precompute jobs", () => {
  test("every model, then every layer's SAE sweep after its model, the full grids first", () => {
    const jobs = precomputeJobs();
    const models = jobs.filter((j) => j.after === null);
    assert.deepEqual(models.map((j) => j.label), MODELS.map((m) => m.name));
    const sweeps = jobs.filter((j) => j.after !== null);
    assert.equal(sweeps.length, 23, "2 layers of 10 MLPs and 3 of the CNN");
    assert.deepEqual(sweeps.slice(0, 4).map((j) => j.label), ["baseline-mlp/relu_1", "baseline-mlp/relu_2", "cnn/relu_3", "cnn/relu_1"]);
    for (const job of sweeps) {
      const [model, layer] = job.label.split("/");
      assert.equal(job.after, model);
      assert.deepEqual(job.args, [`--model=${model}`, `--layer=${layer}`]);
      assert.equal(job.script, "data-loaders/sae/produce-sae.ts");
    }
  });

  test("a job waits for the one it comes after while the other core works; a failure names its job and cause", async () => {
    // The jobs run from the project root (where tsx is found); their script is elsewhere.
    const root = join(import.meta.dirname, "..", "..", "..", "..");
    const scratch = mkdtempSync(join(tmpdir(), "precompute-"));
    const log = join(scratch, "log.txt");
    writeFileSync(log, "");
    // Appends "<label> start" and, after `ms`, "<label> end" (or fails with a message).
    writeFileSync(
      join(scratch, "job.mjs"),
      `import { appendFileSync } from "node:fs";
const [label, ms, fail] = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, label + " start\\n");
await new Promise((done) => setTimeout(done, Number(ms)));
if (fail) { process.stderr.write("error: " + fail + "\\n"); process.exit(1); }
appendFileSync(${JSON.stringify(log)}, label + " end\\n");
`,
    );
    const job = (label: string, ms: number, after: string | null, fail = ""): PrecomputeJob => ({ label, script: join(scratch, "job.mjs"), args: [label, String(ms), ...(fail ? [fail] : [])], after });
    const timings = await runJobs([job("a", 600, null), job("a/x", 10, "a"), job("b", 10, null)], { root, concurrency: 2, log: () => {} });
    const order = readFileSync(log, "utf8").trim().split("\n");
    assert.ok(order.indexOf("b end") < order.indexOf("a end"), `b ran beside a: ${order.join(", ")}`);
    assert.ok(order.indexOf("a end") < order.indexOf("a/x start"), `a/x waited for a: ${order.join(", ")}`);
    assert.deepEqual(timings.map((t) => t.label).sort(), ["a", "a/x", "b"]);
    await assert.rejects(runJobs([job("c", 10, null), job("c/y", 10, "c", "no activations")], { root, concurrency: 2, log: () => {} }), /SAE sweep "c\/y": no activations/);
    await assert.rejects(runJobs([job("d/z", 10, "d")], { root, log: () => {} }), /job "d\/z" comes after "d", which is not a job/);
  });

  test("jobs whose results are cached are skipped, and a job after a cached one need not wait", async () => {
    const job = (label: string, after: string | null, cached: boolean | undefined): PrecomputeJob => ({
      label,
      script: "x.ts",
      args: [],
      after,
      ...(cached === undefined ? {} : { cached: async () => cached }),
    });
    const jobs = [job("m", null, true), job("m/a", "m", false), job("n", null, false), job("n/b", "n", false), job("n/c", "n", true), job("o", null, undefined)];
    const toRun = await jobsToRun(jobs);
    assert.deepEqual(
      toRun.map((j) => [j.label, j.after]),
      [["m/a", null], ["n", null], ["n/b", "n"], ["o", null]],
    );
  });
});
