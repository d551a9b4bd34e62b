import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import type { BenchReport } from "../../src/bench/report.ts";
import { selfCommand } from "../../src/cli/mod.ts";

describe("strongroom bench", () => {
  it("starts its own cluster, measures every step, batches included, without errors and reports JSON", async () => {
    const { command, args } = selfCommand([
      "bench", "--sizes", "64,1k", "--in-flight", "1,4", "--duration", "300", "--warmup", "50", "--batch", "10", "--batch-size", "512", "--json",
    ]);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        command,
        args,
        { maxBuffer: 1 << 24 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const report = JSON.parse(stdout) as BenchReport;
    assert.deepEqual(report.steps.map((s) => [s.op, s.size, s.inFlight, s.batch]), [
      ...[64, 1024].flatMap((size) => [1, 4].flatMap((n) => [["store", size, n, 1], ["retrieve", size, n, 1]])),
      ...[1, 4].flatMap((n) => [["storeMany", 512, n, 10], ["retrieveMany", 512, n, 10]]),
    ]);
    for (const step of report.steps) {
      assert.equal(step.errors, 0, JSON.stringify(step.errorKinds));
      assert.ok(step.ops > 0);
      assert.deepEqual(Object.keys(step.processes).sort(), ["broker", "client", "encryptor-1", "storage"]);
      for (const usage of Object.values(step.processes)) assert.ok(usage.peakRss > 0);
      // CPU per item: one figure per process, and their sum.
      assert.deepEqual(Object.keys(step.cpuUsPerItem).sort(), ["broker", "client", "encryptor-1", "storage", "total"]);
      const parts = Object.entries(step.cpuUsPerItem).filter(([name]) => name !== "total").reduce((sum, [, us]) => sum + us, 0);
      assert.ok(Math.abs(parts - step.cpuUsPerItem.total) < 1e-6);
      assert.ok(step.cpuUsPerItem.total > 0);
    }
    assert.equal(report.idle?.connections, 1000);
  });
});
