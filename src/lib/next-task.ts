// Yielding to the browser between chunks of work. An `await` on a resolved promise continues in
// the same task (a microtask), so a loop of awaits is still one long task that freezes the page;
// these helpers end the task and continue in a new one.

type Scheduler = { yield?: () => Promise<void> };

/** Resolves in a new task: scheduler.yield() where the browser has it, else a MessageChannel hop. */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === "function") return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * A pause that only yields once `budgetMs` of work has passed since the last yield, so that many
 * small steps do not each pay for a task switch.
 */
export function pacedPause(budgetMs = 40): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < budgetMs) return;
    await nextTask();
    last = performance.now();
  };
}
