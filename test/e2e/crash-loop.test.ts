import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCrashTest } from "../../src/bench/crash-test.ts";

describe("crash loop of the storage process", () => {
  it("keeps every acknowledged put and delete across 20 SIGKILLs", async () => {
    const result = await runCrashTest({ kills: 20, maxRunMs: 300 });
    assert.deepEqual(result.violations, []);
    assert.equal(result.kills, 20);
    assert.ok(result.acknowledgedPuts > 200, `${result.acknowledgedPuts} acknowledged puts`);
    assert.ok(result.acknowledgedDeletes > 20, `${result.acknowledgedDeletes} acknowledged deletes`);
    assert.ok(result.checkedPresent > 0 && result.checkedAbsent > 0);
  });
});
