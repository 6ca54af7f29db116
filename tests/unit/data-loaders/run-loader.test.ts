import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));
const runLoaderUrl = new URL("../../../data-loaders/run-loader.ts", import.meta.url).href;
let scriptDir = "";

before(async () => {
  scriptDir = await mkdtemp(join(tmpdir(), "run-loader-"));
});
after(async () => {
  await rm(scriptDir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a loader script (.mts: an ES module wherever it lies) whose body is `body` (it may use runLoader). The script counts calls to
 * process.stdout.write and reports the count on stderr as `writes=N` when the process exits.
 */
async function runScript(name: string, body: string): Promise<Outcome> {
  const script = join(scriptDir, `${name}.mts`);
  await writeFile(
    script,
    [
      `import { runLoader } from ${JSON.stringify(runLoaderUrl)};`,
      "let writes = 0;",
      "const write = process.stdout.write.bind(process.stdout);",
      "process.stdout.write = ((...args: Parameters<typeof write>) => { writes++; return write(...args); }) as typeof write;",
      'process.on("exit", () => process.stderr.write(`writes=${writes}\\n`));',
      body,
    ].join("\n"),
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: projectRoot });
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout: Buffer.concat(stdout), stderr };
}

// Each test spawns its own process, so they can run side by side.
describe("runLoader", { concurrency: true }, () => {
  test("writes a string result to stdout in one write and exits 0", async () => {
    const outcome = await runScript("string", 'await runLoader(async () => { await new Promise((r) => setTimeout(r, 5)); return "a,b\\n1,2\\n"; });');
    assert.equal(outcome.code, 0);
    assert.equal(outcome.stdout.toString(), "a,b\n1,2\n");
    assert.equal(outcome.stderr, "writes=1\n");
  });

  test("writes a byte result unchanged, including bytes that are not valid UTF-8", async () => {
    const bytes = [0, 255, 128, 10, 0xfe];
    const outcome = await runScript("bytes", `await runLoader(async () => Uint8Array.from(${JSON.stringify(bytes)}));`);
    assert.equal(outcome.code, 0);
    assert.deepEqual([...outcome.stdout], bytes);
    assert.equal(outcome.stderr, "writes=1\n");
  });

  test("on an error prints `error: <message>` to stderr, writes nothing to stdout and exits 1", async () => {
    const outcome = await runScript("failing", 'await runLoader(async () => { throw new Error("train-labels-idx1-ubyte: expected x, found y"); });');
    assert.equal(outcome.code, 1);
    assert.equal(outcome.stdout.length, 0);
    assert.equal(outcome.stderr, "error: train-labels-idx1-ubyte: expected x, found y\nwrites=0\n");
  });

  test("a thrown non-Error value is printed as text", async () => {
    const outcome = await runScript("non-error", 'await runLoader(async () => { throw "no data"; });');
    assert.equal(outcome.code, 1);
    assert.equal(outcome.stdout.length, 0);
    assert.match(outcome.stderr, /^error: no data\n/);
  });
});
