// What a cell shows instead of a result when its input makes no sense: a message, never a trace.
export function cellError(message: string): HTMLElement {
  const box = document.createElement("div");
  box.className = "cell-error";
  box.setAttribute("role", "alert");
  box.textContent = message;
  return box;
}
