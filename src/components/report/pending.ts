// Work that takes seconds (in a worker) announces itself: a cell yields "pending" with what it is
// doing, then the result or the error, so the page shows progress instead of a blank, and the
// reader can see which cells are still running. Cancellation by a change of inputs is silent.
import { CancelledError } from "../../runtime/worker-task.js";
import { cellError } from "../cell-error.js";

export type Pending<T> = { state: "pending"; message: string } | { state: "done"; value: T } | { state: "error"; error: string };

export async function* announce<T>(message: string, work: Promise<T>): AsyncGenerator<Pending<T>> {
  // Handled here whatever happens to the generator (Framework returns it when inputs change).
  const settled = work.then(
    (value): Pending<T> => ({ state: "done", value }),
    (error: unknown): Pending<T> | null => (error instanceof CancelledError ? null : { state: "error", error: (error as Error).message }),
  );
  yield { state: "pending", message };
  const outcome = await settled;
  if (outcome) yield outcome;
}

/** The element for a pending or failed step; null once there is a value to show. */
export function pendingView<T>(step: Pending<T>): Element | null {
  if (step.state === "error") return cellError(step.error);
  if (step.state === "done") return null;
  const note = document.createElement("p");
  note.className = "progress-note";
  note.dataset.testid = "progress";
  note.textContent = step.message;
  return note;
}
