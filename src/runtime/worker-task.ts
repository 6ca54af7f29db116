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
  worker.addEventListener("error", (event) => fail(new Error(`the analysis worker failed${(event as ErrorEvent).message ? `: ${(event as ErrorEvent).message}` : ` to load (${url})`}`)));
  void invalidation?.then(() => fail(new CancelledError()));
  try {
    return await Promise.race([task(Comlink.wrap<Api>(worker)), failed]);
  } finally {
    worker.terminate();
  }
}

export { Comlink };
