import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { openEngine } from "./engine.ts";

describe("openEngine()", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-engine-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("puts, gets, overwrites and deletes", async () => {
    const engine = await openEngine(dir);
    const key = randomBytes(32);
    assert.equal(await engine.get(key), undefined);
    await engine.put(key, new Uint8Array([1, 2, 3]));
    assert.deepEqual(Uint8Array.from((await engine.get(key))!), new Uint8Array([1, 2, 3]));
    await engine.put(key, new Uint8Array([4]));
    assert.deepEqual(Uint8Array.from((await engine.get(key))!), new Uint8Array([4]));
    assert.equal(await engine.delete(key), true);
    assert.equal(await engine.delete(key), false);
    assert.equal(await engine.get(key), undefined);
    assert.equal(engine.stats().records, 0);
    await engine.close();
  });

  it("finds everything again after reopening, deletes included", async () => {
    const engine = await openEngine(dir);
    const kept = Array.from({ length: 50 }, () => [randomBytes(32), randomBytes(100)] as const);
    const gone = randomBytes(32);
    await Promise.all([...kept.map(([k, v]) => engine.put(k, v)), engine.put(gone, randomBytes(10))]);
    await engine.delete(gone);
    await engine.close();

    const reopened = await openEngine(dir);
    for (const [k, v] of kept) assert.deepEqual(Buffer.from((await reopened.get(k))!), v);
    assert.equal(await reopened.get(gone), undefined);
    assert.equal(reopened.stats().records, 50);
    await reopened.close();
  });

  it("cuts a torn last record at every byte offset and keeps the ones before it", async () => {
    const engine = await openEngine(dir);
    const first = randomBytes(32);
    await engine.put(first, randomBytes(20));
    const sizeBefore = statSync(join(dir, "segment-000001.log")).size;
    await engine.put(randomBytes(32), randomBytes(20));
    await engine.close();
    const sizeAfter = statSync(join(dir, "segment-000001.log")).size;

    for (let cut = sizeAfter - 1; cut >= sizeBefore; cut--) {
      truncateSync(join(dir, "segment-000001.log"), cut);
      let report: { records: number; truncatedBytes: number } | undefined;
      const reopened = await openEngine(dir, { onRecovery: (r) => (report = r) });
      assert.deepEqual(report, { records: 1, truncatedBytes: cut - sizeBefore });
      assert.ok(await reopened.get(first));
      await reopened.close();
    }
  });
});
