// Runs one task in a fresh module Web Worker and terminates it afterwards, or as soon as the page
// cell that asked for it is invalidated (its inputs changed): stale work is cancelled, not queued.
// A terminated worker never answers, so the pending call is rejected here.
import * as Comlink from "comlink";

export class CancelledError extends Error {
  constructor() {
    super("cancelled: the inputs changed");
    this.name = "CancelledError";
  }
}

export async function workerTask<Api, T>(url: string, task: (api: Comlink.Remote<Api>) => Promise<T>, invalidation?: Promise<unknown>): Promise<T> {
  const worker = new Worker(url, { type: "module" });
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // After the task has finished, a later invalidation must not surface as an unhandled rejection.
  failed.catch(() => {});
  // A module worker that fails to load reports a bare Event with no message.
  worker.addEventListener("error", (event) =>
    fail(new Error(`the analysis worker failed${(event as ErrorEvent).message ? `: ${(event as ErrorEvent).message}` : ` to load (${url})`}`)),
  );
  void invalidation?.then(() => fail(new CancelledError()));
  try {
    return await Promise.race([task(Comlink.wrap<Api>(worker)), failed]);
  } finally {
    worker.terminate();
  }
}

export type WorkerStep<P, T> = { state: "progress"; progress: P | null } | { state: "done"; value: T } | { state: "error"; error: string };

/**
 * A worker task that reports progress, as a stream for a page cell: first a progress step with
 * no progress yet, then the latest progress whenever the worker reports (steps that arrive while
 * the page is busy are merged into the latest), then the result or the error. Cancellation by a
 * change of inputs ends the stream silently.
 */
export async function* workerProgress<Api, P, T>(
  url: string,
  task: (api: Comlink.Remote<Api>, onProgress: (progress: P) => void) => Promise<T>,
  invalidation?: Promise<unknown>,
): AsyncGenerator<WorkerStep<P, T>> {
  let latest: P | null = null;
  let fresh = false;
  let wake = () => {};
  const report = Comlink.proxy((progress: P) => {
    latest = progress;
    fresh = true;
    wake();
  });
  let finished = false;
  const result = workerTask<Api, T>(url, (api) => task(api, report), invalidation);
  const finish = () => ((finished = true), wake());
  // then(finish, finish) rather than finally(): a cancelled run must not leave an unhandled rejection.
  result.then(finish, finish);
  yield { state: "progress", progress: null };
  while (!finished) {
    if (!fresh) await new Promise<void>((resolve) => (wake = resolve));
    if (fresh && !finished) {
      fresh = false;
      yield { state: "progress", progress: latest };
    }
  }
  try {
    yield { state: "done", value: await result };
  } catch (error) {
    if (!(error instanceof CancelledError)) yield { state: "error", error: (error as Error).message };
  }
}

export { Comlink };
