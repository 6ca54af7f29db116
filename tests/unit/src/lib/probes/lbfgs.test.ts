import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { minimizeLbfgs, type Objective } from "../../../../../src/lib/probes/lbfgs.js";

describe("L-BFGS", () => {
  test("a convex quadratic ½xᵀAx − bᵀx reaches A⁻¹b", async () => {
    // A = [[4,1,0],[1,3,1],[0,1,2]], b = [1,2,3].
    const A = [
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ];
    const b = [1, 2, 3];
    const objective: Objective = (x, g) => {
      let value = 0;
      for (let i = 0; i < 3; i++) {
        let ax = 0;
        for (let j = 0; j < 3; j++) ax += A[i][j] * x[j];
        g[i] = ax - b[i];
        value += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return value;
    };
    const { x, stop } = await minimizeLbfgs(objective, new Float64Array(3), { maxIterations: 100, tolerance: 1e-10 });
    assert.equal(stop, "tolerance");
    // Cramer's rule: det A = 4(6−1) − 1(2−0) = 18, and the three replaced determinants are 4, 2 and
    // 26: x = (4, 2, 26)/18 (check: 4·4 + 2 = 18, 4 + 6 + 26 = 36, 2 + 52 = 54, i.e. 18·b).
    const expected = [4 / 18, 2 / 18, 26 / 18];
    x.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-8, `x[${i}] = ${v}, expected ${expected[i]}`));
  });

  test("Rosenbrock from (−1.2, 1) reaches (1, 1); pause is awaited every iteration", async () => {
    const rosenbrock: Objective = ([a, b], g) => {
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    let pauses = 0;
    const { x, iterations, stop } = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIterations: 500,
      tolerance: 1e-8,
      pause: async () => void pauses++,
    });
    assert.equal(stop, "tolerance", `stopped after ${iterations} iterations at ${x}`);
    assert.ok(Math.abs(x[0] - 1) < 1e-4 && Math.abs(x[1] - 1) < 1e-4, `ended at ${x}`);
    assert.equal(pauses, iterations);
  });

  test("stops at maxIterations and says so", async () => {
    const rosenbrock: Objective = ([a, b], g) => {
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const result = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3, tolerance: 1e-8 });
    assert.equal(result.iterations, 3);
    assert.equal(result.stop, "iterations");
  });

  test("an objective whose value cannot fall any further (rounding noise) ends the run instead of looping", async () => {
    // Claims a gradient but every value is the same: no step passes the Armijo test.
    const flat: Objective = (_x, g) => ((g[0] = 1), 0);
    const result = await minimizeLbfgs(flat, Float64Array.of(0), { maxIterations: 50, tolerance: 1e-8 });
    assert.equal(result.stop, "no progress");
    assert.equal(result.iterations, 0);
  });
});
