import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { backendOrder, describeStatus, parseBackendRequest } from "../../../../src/lib/backend-choice.js";

const hardware = { available: true, isFallback: false, description: "nvidia" };
const swiftshader = { available: true, isFallback: true, description: "swiftshader" };
const none = { available: false, isFallback: false, description: "none" };

describe("backend choice", () => {
  test("automatic: WebGPU first only on a hardware adapter", () => {
    assert.deepEqual(backendOrder(parseBackendRequest(""), hardware), ["webgpu", "webgl", "wasm", "cpu"]);
    assert.deepEqual(backendOrder(parseBackendRequest(""), swiftshader), ["wasm", "webgl", "cpu"]);
    assert.deepEqual(backendOrder(parseBackendRequest("?x=1"), none), ["wasm", "webgl", "cpu"]);
  });

  test("?backend= forces one backend first, then the automatic order as fallback", () => {
    assert.deepEqual(backendOrder(parseBackendRequest("?backend=webgpu"), swiftshader), ["webgpu", "wasm", "webgl", "cpu"]);
    assert.deepEqual(backendOrder(parseBackendRequest("?backend=CPU"), hardware), ["cpu", "webgpu", "webgl", "wasm"]);
  });

  test("an unknown backend name is reported and ignored", () => {
    const request = parseBackendRequest("?backend=cuda");
    assert.equal(request.forced, null);
    assert.match(request.error ?? "", /\?backend=cuda is not a backend; expected one of webgpu, webgl, wasm, cpu/);
  });

  test("the badge text names the backend, the adapter and the reason for a fallback", () => {
    assert.equal(describeStatus({ backend: "webgpu", adapter: "nvidia", adapterIsSoftware: false, requested: null, fallbackReason: null }), "webgpu · nvidia");
    assert.equal(
      describeStatus({ backend: "wasm", adapter: "google / swiftshader", adapterIsSoftware: true, requested: null, fallbackReason: null }),
      "wasm · google / swiftshader (software)",
    );
    assert.equal(
      describeStatus({ backend: "wasm", adapter: "no WebGPU adapter", adapterIsSoftware: false, requested: "webgpu", fallbackReason: "webgpu unavailable" }),
      "wasm · no WebGPU adapter (webgpu unavailable)",
    );
  });
});
