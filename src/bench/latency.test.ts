import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatencyRecorder } from "./latency.ts";

describe("LatencyRecorder", () => {
  it("gives nearest-rank percentiles over many values", () => {
    const recorder = new LatencyRecorder();
    for (let i = 1000; i >= 1; i--) recorder.add(i);
    assert.deepEqual(recorder.summary(), { count: 1000, p50: 500, p99: 990, max: 1000 });
  });

  it("gives zeros when nothing was recorded", () => {
    assert.deepEqual(new LatencyRecorder().summary(), { count: 0, p50: 0, p99: 0, max: 0 });
  });
});
