import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FrameworkLog, stripAnsi } from "../../../../data-loaders/build/build-failure.js";

const ESC = "\u001b";
const grey = (s: string) => `${ESC}[90m${s}${ESC}[39m`;
const red = (s: string) => `${ESC}[31m${s}${ESC}[39m`;
const cause = "/tmp/empty: expected a file named train-images-idx3-ubyte, found none of them";

/** What `observable build` wrote (colors on) when a loader failed, stream by stream, in order. */
const LOADER_FAILURE: ["stdout" | "stderr", string][] = [
  ["stdout", `${grey("build")} src/style.css ${grey("\u2192")} /work/p/dist.next-1-ab/_import/style.css\n`],
  [
    "stdout",
    `${grey("copy")} src/data/site-pages.json ${grey("\u2192")} ${ESC}[36mload${ESC}[39m /data/site-pages.json ${grey("\u2192")} ${grey("[fresh] ")}success\n`,
  ],
  ["stdout", `${grey("copy")} src/data/manifest.json ${grey("\u2192")} ${ESC}[36mload${ESC}[39m /data/manifest.json ${grey("\u2192")} ${grey("[missing] ")}`],
  ["stderr", "training… epoch 1/20\n"],
  ["stderr", `error: ${cause}\n`],
  ["stdout", `${red("error")} ${grey("in 675ms:")} ${red("loader exited with code 1")}\n`],
  ["stderr", `\n${red("Unexpected error:")} loader exited with code 1\n\nTip: To see the full stack trace, run with the --debug flag.\n\n`],
  [
    "stderr",
    `If you think this is a bug, please file an issue at\n\u21b3 ${ESC}]8;;https://github.com/observablehq/framework/issues${ESC}\\https://github.com/observablehq/framework/issues${ESC}]8;;${ESC}\\\n\n`,
  ],
];

const loaderFor = (target: string) => `src${target}.ts`;

function feedAll(log: FrameworkLog, parts: ["stdout" | "stderr", string][], chunkSize = Infinity): void {
  for (const [stream, text] of parts) {
    for (let i = 0; i < text.length; i += Math.min(chunkSize, text.length)) log.feed(stream, text.slice(i, i + chunkSize));
  }
}

describe("FrameworkLog", () => {
  test("a loader's error line becomes the cause, named after the loader; Framework's own line adds nothing", () => {
    const log = new FrameworkLog();
    feedAll(log, LOADER_FAILURE);
    assert.deepEqual(log.causes(loaderFor), [`src/data/manifest.json.ts: ${cause}`]);
  });

  test("the same, however the output is cut into chunks", () => {
    for (const size of [1, 3, 7, 64]) {
      const log = new FrameworkLog();
      feedAll(log, LOADER_FAILURE, size);
      assert.deepEqual(log.causes(loaderFor), [`src/data/manifest.json.ts: ${cause}`], `chunks of ${size}`);
    }
  });

  test("Framework's own error, when no loader said anything", () => {
    const log = new FrameworkLog();
    log.feed("stdout", "copy src/data/x.json \u2192 load /data/x.json \u2192 [fresh] success\n");
    log.feed(
      "stderr",
      "\nUnexpected error: file conflict: _file/data/x.1234.json\n\nTip: To see the full stack trace, run with the --debug flag.\n\nIf you think this is a bug, please file an issue at\n",
    );
    assert.deepEqual(log.causes(loaderFor), ["observable build: file conflict: _file/data/x.1234.json"]);
  });

  test("Framework's CLI errors come as a bare line before its bug notice", () => {
    const log = new FrameworkLog();
    log.feed("stderr", `${red("Nothing to build: no pages found in your src directory.")}\nIf you think this is a bug, please file an issue at\n`);
    assert.deepEqual(log.causes(loaderFor), ["observable build: Nothing to build: no pages found in your src directory."]);
  });

  test("a loader that died without an error line is named, with Framework's words", () => {
    const log = new FrameworkLog();
    log.feed("stdout", "copy src/data/a.bin \u2192 load /data/a.bin \u2192 [missing] ");
    log.feed("stderr", "Killed\n\nUnexpected error: loader exited with code 137\n");
    assert.deepEqual(log.causes(loaderFor), ["src/data/a.bin.ts: loader exited with code 137 (it printed no error line; see its output above)"]);
  });

  test("nothing recognizable: no causes (the build script then says so)", () => {
    const log = new FrameworkLog();
    log.feed("stdout", "load /index in 77ms\n");
    log.feed("stderr", "some warning\n");
    assert.deepEqual(log.causes(loaderFor), []);
  });

  test("knows whether the output ended mid-line", () => {
    const log = new FrameworkLog();
    log.feed("stdout", "load /data/x.json \u2192 ");
    assert.equal(log.endsMidLine, true);
    log.feed("stderr", "error: boom\n");
    assert.equal(log.endsMidLine, false);
  });

  test("stripAnsi removes colors, cursor codes and hyperlinks", () => {
    assert.equal(stripAnsi(`${red("error")} ${ESC}[2K${ESC}[1Gx ${ESC}]8;;https://a.b${ESC}\\link${ESC}]8;;${ESC}\\`), "error x link");
  });
});
