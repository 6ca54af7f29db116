import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsToRun, precomputeJobs, runJobs, type PrecomputeJob } from "../../../../data-loaders/build/precompute-models.js";
import { MODELS } from "../../../../src/lib/models/registry.js";

describe("precompute jobs", () => {
  test("every model, then every layer's SAE sweep after its model, the full grids first, then each model's probes after its sweeps", () => {
    const jobs = precomputeJobs();
    const models = jobs.filter((j) => j.kind === "model");
    assert.deepEqual(
      models.map((j) => j.label),
      MODELS.map((m) => m.name),
    );
    assert.ok(models.every((j) => j.after.length === 0));
    const sweeps = jobs.filter((j) => j.kind === "SAE sweep");
    assert.equal(sweeps.length, 23, "2 layers of 10 MLPs and 3 of the CNN");
    assert.deepEqual(
      sweeps.slice(0, 4).map((j) => j.label),
      ["baseline-mlp/relu_1", "baseline-mlp/relu_2", "cnn/relu_3", "cnn/relu_1"],
    );
    for (const job of sweeps) {
      const [model, layer] = job.label.split("/");
      assert.deepEqual(job.after, [model]);
      assert.deepEqual(job.args, [`--model=${model}`, `--layer=${layer}`]);
      assert.equal(job.script, "data-loaders/sae/produce-sae.ts");
    }
    const probes = jobs.filter((j) => j.kind === "probes");
    assert.deepEqual(
      probes.map((j) => j.label),
      MODELS.map((m) => `probes/${m.name}`),
    );
    const cnn = probes.find((j) => j.label === "probes/cnn") as PrecomputeJob;
    assert.deepEqual([...cnn.after].sort(), ["cnn", "cnn/relu_1", "cnn/relu_2", "cnn/relu_3"]);
    assert.deepEqual(cnn.args, ["--model=cnn"]);
    const concepts = jobs.filter((j) => j.kind === "concepts");
    assert.deepEqual(
      concepts.map((j) => [j.label, j.after.length]),
      [["concepts", 0]],
    );
    assert.deepEqual(
      jobs.filter((j) => j.kind === "planted benchmark").map((j) => [j.label, j.after.length]),
      [["planted", 0]],
    );
    const groundTruth = jobs.filter((j) => j.kind === "ground truth");
    assert.deepEqual(
      groundTruth.map((j) => j.label),
      ["ground-truth/cnn", "ground-truth/baseline-mlp"],
      "the scored models, in registry order",
    );
    const baseline = groundTruth.find((j) => j.label === "ground-truth/baseline-mlp") as PrecomputeJob;
    assert.deepEqual([...baseline.after].sort(), ["baseline-mlp", "baseline-mlp/relu_1", "baseline-mlp/relu_2", "concepts"]);
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
    const job = (label: string, ms: number, after: string[], fail = ""): PrecomputeJob => ({
      label,
      kind: after.length === 0 ? "model" : "SAE sweep",
      script: join(scratch, "job.mjs"),
      args: [label, String(ms), ...(fail ? [fail] : [])],
      after,
    });
    const timings = await runJobs([job("a", 600, []), job("a/x", 10, ["a"]), job("b", 10, []), job("p", 10, ["a/x", "b"])], {
      root,
      concurrency: 2,
      log: () => {},
    });
    const order = readFileSync(log, "utf8").trim().split("\n");
    assert.ok(order.indexOf("b end") < order.indexOf("a end"), `b ran beside a: ${order.join(", ")}`);
    assert.ok(order.indexOf("a end") < order.indexOf("a/x start"), `a/x waited for a: ${order.join(", ")}`);
    assert.ok(order.indexOf("a/x end") < order.indexOf("p start"), `p waited for both: ${order.join(", ")}`);
    assert.deepEqual(timings.map((t) => t.label).sort(), ["a", "a/x", "b", "p"]);
    await assert.rejects(
      runJobs([job("c", 10, []), job("c/y", 10, ["c"], "no activations")], { root, concurrency: 2, log: () => {} }),
      /SAE sweep "c\/y": no activations/,
    );
    await assert.rejects(runJobs([job("d/z", 10, ["d"])], { root, log: () => {} }), /job "d\/z" comes after "d", which is not a job/);
  });

  test("jobs whose results are cached are skipped, and a job after a cached one need not wait", async () => {
    const job = (label: string, after: string[], cached: boolean | undefined): PrecomputeJob => ({
      label,
      kind: after.length === 0 ? "model" : "SAE sweep",
      script: "x.ts",
      args: [],
      after,
      ...(cached === undefined ? {} : { cached: async () => cached }),
    });
    const jobs = [
      job("m", [], true),
      job("m/a", ["m"], false),
      job("n", [], false),
      job("n/b", ["n"], false),
      job("n/c", ["n"], true),
      job("o", [], undefined),
      job("p", ["n/b", "n/c"], false),
    ];
    const toRun = await jobsToRun(jobs);
    assert.deepEqual(
      toRun.map((j) => [j.label, j.after]),
      [
        ["m/a", []],
        ["n", []],
        ["n/b", ["n"]],
        ["o", []],
        ["p", ["n/b"]],
      ],
    );
  });
});
