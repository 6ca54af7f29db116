// The main() of every data loader: Framework takes a loader's stdout as the file, so the result is
// written in one piece only once it is complete, and a failure leaves stdout empty and exits non-zero.

/**
 * Awaits `produce`, then writes its result to stdout in a single write.
 * On failure prints `error: <message>` to stderr and exits with code 1, leaving stdout empty.
 */
export async function runLoader(produce: () => Promise<Uint8Array | string>): Promise<void> {
  let output: Uint8Array | string;
  try {
    output = await produce();
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write(output);
}

/**
 * A route parameter of a parameterized loader (src/data/models/[model]/...): Framework passes it
 * on the command line as --name=value.
 */
export function loaderParam(name: string, argv: readonly string[] = process.argv): string {
  const prefix = `--${name}=`;
  const value = argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  if (!value) throw new Error(`this loader needs the route parameter "${name}" (--${name}=...), found none in [${argv.slice(2).join(" ")}]`);
  return value;
}
