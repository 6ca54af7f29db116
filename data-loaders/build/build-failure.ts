// Finds why `observable build` failed in its output, so that a failed build ends with the cause
// itself rather than Framework's progress line and its "please file an issue" text. Loaders
// report failures as `error: <message>` on stderr (data-loaders/run-loader.ts); Framework reports
// its own as `Unexpected error: <message>`, or as a bare line before its bug-report notice.

/** A build that failed for known reasons: one line per cause, each naming file, expected, found. */
export class BuildFailure extends Error {
  readonly causes: string[];
  constructor(causes: string[]) {
    super(causes.join("\n"));
    this.name = "BuildFailure";
    this.causes = causes;
  }
}

// CSI sequences (colors, cursor moves) and OSC sequences (hyperlinks).
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Framework's progress line names the loader output it is producing: "load /data/x.json → ". */
const LOADING = /load (\/\S+) \u2192 /g;
const LOADER_ERROR = /^error: (.+)$/;
const FRAMEWORK_ERROR = /^Unexpected error: (.+)$/;
const BUG_NOTICE = /^If you think this is a bug/;
const LOADER_EXIT = /^loader exited with code /;

/** Reads Framework's stdout and stderr as they stream, remembering the causes of a failure. */
export class FrameworkLog {
  private loading: string | null = null;
  private stdoutTail = "";
  private partialLine = "";
  private previousLine = "";
  private readonly loaderErrors: { target: string | null; message: string }[] = [];
  private frameworkError: string | null = null;

  /** Whether the last output left the terminal's cursor mid-line (Framework's progress lines end late). */
  endsMidLine = false;

  /** Feeds a chunk of text (decoded as UTF-8) from one of the two streams. */
  feed(stream: "stdout" | "stderr", chunk: string): void {
    if (chunk !== "") this.endsMidLine = !chunk.endsWith("\n");
    if (stream === "stdout") {
      // Keep enough of the tail to see a progress line split across chunks.
      this.stdoutTail = (this.stdoutTail + chunk).slice(-4096);
      const found = [...stripAnsi(this.stdoutTail).matchAll(LOADING)].pop();
      if (found) this.loading = found[1];
      return;
    }
    const lines = (this.partialLine + chunk).split("\n");
    this.partialLine = lines.pop() ?? "";
    for (const line of lines) this.stderrLine(stripAnsi(line).trimEnd());
  }

  private stderrLine(line: string): void {
    const loaderError = LOADER_ERROR.exec(line);
    const frameworkError = FRAMEWORK_ERROR.exec(line);
    if (loaderError) this.loaderErrors.push({ target: this.loading, message: loaderError[1] });
    else if (frameworkError) this.frameworkError = frameworkError[1];
    else if (BUG_NOTICE.test(line) && this.frameworkError === null && this.previousLine !== "") this.frameworkError = this.previousLine;
    if (line.trim() !== "" && !line.startsWith("Tip:")) this.previousLine = line.trim();
  }

  /**
   * The causes found so far, one line each: "<loader>: <message>" for a loader's error (the
   * loader named by `loaderFor(target)`), "observable build: <message>" for Framework's own.
   */
  causes(loaderFor: (target: string) => string): string[] {
    const name = (target: string | null) => (target === null ? "a data loader" : loaderFor(target));
    const causes = this.loaderErrors.map(({ target, message }) => `${name(target)}: ${message}`);
    const error = this.frameworkError;
    if (error !== null && LOADER_EXIT.test(error)) {
      // Framework's own line adds nothing when the loader said why; otherwise it is all there is.
      if (causes.length === 0) causes.push(`${name(this.loading)}: ${error} (it printed no error line; see its output above)`);
    } else if (error !== null) {
      causes.push(`observable build: ${error}`);
    }
    return causes;
  }
}
