import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError } from "../protocol/wire/mod.ts";
import { runLoad } from "./load.ts";

describe("runLoad()", () => {
  it("keeps the given number of requests in flight, counts failures by code, and calls both hooks once", async () => {
    let active = 0;
    let peak = 0;
    const hooks: string[] = [];
    const result = await runLoad({
      inFlight: 4,
      durationMs: 200,
      warmupMs: 20,
      onMeasureStart: () => hooks.push("start"),
      onMeasureEnd: () => hooks.push("end"),
      operation: async (_, i) => {
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 1));
        active--;
        if (i % 2 === 1) throw new NotFoundError("miss");
      },
    });
    assert.equal(peak, 4);
    assert.deepEqual(hooks, ["start", "end"]);
    assert.ok(result.ops > 0 && result.errors > 0);
    assert.deepEqual(Object.keys(result.errorKinds), ["NOT_FOUND"]);
    assert.equal(result.latency.count, result.ops);
  });

  it("stretches the measured time to the first completion when nothing completes within it", async () => {
    const hooks: string[] = [];
    const result = await runLoad({
      inFlight: 2,
      durationMs: 5,
      onMeasureStart: () => hooks.push("start"),
      onMeasureEnd: () => hooks.push("end"),
      operation: (worker) => new Promise((resolve) => setTimeout(resolve, worker === 0 ? 60 : 120)),
    });
    // The first request completes well after the 5 ms asked for and ends the step; the second one after it does not count.
    assert.equal(result.ops, 1);
    assert.equal(result.latency.count, 1);
    assert.ok(result.elapsedMs >= 50, `elapsed ${result.elapsedMs} ms`);
    assert.deepEqual(hooks, ["start", "end"]);
  });
});
