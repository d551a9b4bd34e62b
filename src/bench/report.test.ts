import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuPerItem, renderReport } from "./report.ts";

describe("cpuPerItem()", () => {
  it("divides each process's CPU time over the items and sums them", () => {
    const usage = (cpuMs: number) => ({ cpuMs, peakRss: 1, rss: 1 });
    assert.deepEqual(cpuPerItem({ broker: usage(30), encryptor: usage(50) }, 1000), { broker: 30, encryptor: 50, total: 80 });
    assert.deepEqual(cpuPerItem({ broker: usage(30) }, 0), { broker: 0, total: 0 });
  });
});

describe("renderReport()", () => {
  it("prints the CPU µs per item of the step and of each process", () => {
    const text = renderReport({
      machine: { cpus: 2, cpuModel: "test", memory: 1024 ** 3, node: "v20", runtime: "node", date: "today" },
      steps: [{
        op: "store", size: 1024, inFlight: 256, batch: 1, ops: 1000, elapsedMs: 1000, errors: 0, errorKinds: {},
        latency: { p50: 1, p99: 2, max: 3 },
        processes: { broker: { cpuMs: 30, peakRss: 50 * 1024 ** 2, rss: 0 } },
        cpuUsPerItem: { broker: 30, total: 30 },
      } as never],
      skipped: [],
    });
    assert.match(text, /cpu µs\/item/);
    assert.match(text, /broker µs\/item · cpu% · peak MB/);
    assert.match(text, /30 · 3% · 50/);
  });
});
