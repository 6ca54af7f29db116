// Which tfjs backend a page should run on. Pure decisions only; src/runtime/tf.ts does the I/O.
//
// On a hardware GPU adapter WebGPU is fastest. On a fallback adapter (SwiftShader, i.e. the CPU)
// WebGPU is the slowest path measured (DESIGN.md: MLP on 10k inputs: wasm 37 ms, webgl 232 ms,
// cpu 517 ms, webgpu 1,450 ms), so the CPU paths come first there.

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface AdapterReport {
  /** navigator.gpu exists and requestAdapter() returned an adapter. */
  available: boolean;
  /** The adapter is a software fallback (e.g. SwiftShader). */
  isFallback: boolean;
  /** Human-readable adapter name, e.g. "nvidia / ampere" or "swiftshader". */
  description: string;
}

export interface BackendRequest {
  /** The backend named by ?backend=..., or null for the automatic choice. */
  forced: BackendName | null;
  /** A message when the URL named something that is not a backend. */
  error: string | null;
}

export function parseBackendRequest(search: string): BackendRequest {
  const value = new URLSearchParams(search).get("backend");
  if (value === null || value === "" || value === "auto") return { forced: null, error: null };
  const name = value.toLowerCase();
  if ((BACKENDS as readonly string[]).includes(name)) return { forced: name as BackendName, error: null };
  return { forced: null, error: `?backend=${value} is not a backend; expected one of ${BACKENDS.join(", ")} (using the automatic choice)` };
}

/** The order in which to try backends: the forced one first, then the automatic order. */
export function backendOrder(request: BackendRequest, adapter: AdapterReport): BackendName[] {
  const hardwareGpu = adapter.available && !adapter.isFallback;
  const automatic: BackendName[] = hardwareGpu ? ["webgpu", "webgl", "wasm", "cpu"] : ["wasm", "webgl", "cpu"];
  if (!request.forced) return automatic;
  return [request.forced, ...automatic.filter((b) => b !== request.forced)];
}

export interface BackendStatus {
  backend: BackendName;
  /** The WebGPU adapter (or why there is none), whichever backend is active. */
  adapter: string;
  /** The adapter is a software fallback, e.g. SwiftShader on the CPU. */
  adapterIsSoftware: boolean;
  /** What the reader asked for (null = automatic). */
  requested: BackendName | null;
  /** Why the active backend is not the first choice; null when it is. */
  fallbackReason: string | null;
}

/**
 * One line for the page badge: the backend, then the adapter, then why this is a fallback,
 * e.g. "webgpu · nvidia / hopper" or "wasm · google / swiftshader (software) (webgpu device lost)".
 */
export function describeStatus(status: BackendStatus): string {
  const adapter = `${status.adapter}${status.adapterIsSoftware ? " (software)" : ""}`;
  const base = `${status.backend} · ${adapter}`;
  return status.fallbackReason ? `${base} (${status.fallbackReason})` : base;
}
