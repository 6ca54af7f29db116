// A small badge naming the active tfjs backend and adapter; it follows backend changes.
import { describeStatus, type BackendStatus } from "../lib/backend-choice.js";

export function backendBadge(status: BackendStatus, subscribe: (listener: (s: BackendStatus) => void) => () => void): HTMLElement {
  const badge = document.createElement("div");
  badge.className = "backend-badge";
  badge.setAttribute("role", "status");
  badge.dataset.testid = "backend-badge";
  const render = (s: BackendStatus) => {
    badge.textContent = `tfjs: ${describeStatus(s)}`;
    badge.dataset.backend = s.backend;
    badge.classList.toggle("backend-badge--fallback", s.fallbackReason !== null);
    badge.title = s.fallbackReason ? `Fell back: ${s.fallbackReason}` : `Running on ${s.backend}`;
  };
  render(status);
  subscribe(render);
  return badge;
}
