import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crashAfter, faultyFileSystem, fsError } from "./_faulty-fs.ts";
import { randomKey, randomValue, useTempDir } from "./_test-dir.ts";
import { type Engine, type EngineEvent, openEngine } from "./engine.ts";
import { segmentFileName } from "./segment-file.ts";

const SMALL = { segmentBytes: 2048, compactDeadBytes: Number.MAX_SAFE_INTEGER };

/** Fills an engine with overwrites and deletes; returns what it must hold. */
async function churn(engine: Engine) {
  const live = new Map<Uint8Array, Uint8Array>();
  const gone: Uint8Array[] = [];
  const keys = Array.from({ length: 30 }, () => randomKey());
  for (let round = 0; round < 3; round++) {
    for (const key of keys) {
      const value = randomValue(60 + round);
      await engine.put(key, value);
      live.set(key, value);
    }
  }
  for (const key of keys.slice(0, 10)) {
    await engine.delete(key);
    live.delete(key);
    gone.push(key);
  }
  return { live, gone };
}

async function expectContents(engine: Engine, expected: Awaited<ReturnType<typeof churn>>) {
  for (const [key, value] of expected.live) assert.deepEqual(await engine.get(key), value);
  for (const key of expected.gone) assert.equal(await engine.get(key), undefined);
  assert.equal(engine.stats().records, expected.live.size);
}

describe("compaction", () => {
  const dir = useTempDir();

  it("copies live records, drops dead ones and tombstones, and keeps working after restart", async () => {
    const engine = await openEngine(dir(), SMALL);
    const expected = await churn(engine);
    const before = engine.stats();
    const result = await engine.compact();
    assert.ok(result);
    assert.equal(result.copiedRecords, expected.live.size);
    assert.equal(result.lostRecords, 0);
    assert.ok(result.reclaimedBytes > 0);
    const after = engine.stats();
    assert.equal(after.liveBytes, before.liveBytes);
    assert.equal(after.deadBytes, 0);
    assert.equal(after.segments, 2);
    assert.deepEqual(after.lastCompaction, result);
    await expectContents(engine, expected);
    await engine.close();
    assert.equal(readdirSync(dir()).filter((n) => n.endsWith(".log")).length, 2);

    const reopened = await openEngine(dir(), SMALL);
    await expectContents(reopened, expected);
    await reopened.close();
  });

  it("lets reads and writes go on while it runs", async () => {
    const engine = await openEngine(dir(), SMALL);
    const expected = await churn(engine);
    const running = engine.compact();
    const extra = Array.from({ length: 40 }, () => [randomKey(), randomValue(80)] as const);
    const overwritten = [...expected.live.keys()].slice(0, 5);
    await Promise.all([
      ...extra.map(([k, v]) => engine.put(k, v)),
      ...overwritten.map(async (k) => {
        const value = randomValue(7);
        await engine.put(k, value);
        expected.live.set(k, value);
      }),
      ...[...expected.live.keys()].slice(5, 8).map(async (k) => {
        await engine.delete(k);
        expected.live.delete(k);
        expected.gone.push(k);
      }),
      ...[...expected.live].slice(10).map(async ([k, v]) => assert.deepEqual(await engine.get(k), v)),
      running,
    ]);
    for (const [k, v] of extra) expected.live.set(k, v);
    await expectContents(engine, expected);
    await engine.close();
    const reopened = await openEngine(dir(), SMALL);
    await expectContents(reopened, expected);
    await reopened.close();
  });

  it("starts by itself once enough dead bytes pile up", async () => {
    const events: EngineEvent[] = [];
    const engine = await openEngine(dir(), { segmentBytes: 2048, compactDeadBytes: 4096, onEvent: (e) => events.push(e) });
    const key = randomKey();
    for (let i = 0; i < 100; i++) await engine.put(key, randomValue(100));
    await engine.close();
    assert.ok(events.some((e) => e.type === "compacted"));
  });

  it("compacts again without a new segment sealed in between, and never writes over the segment being written", async () => {
    const engine = await openEngine(dir(), SMALL);
    const expected = await churn(engine);
    assert.ok(await engine.compact());
    // Nothing written since: nothing to do.
    assert.equal(await engine.compact(), undefined);
    // Deletes of records the compacted segment holds: the next compaction seals them first.
    for (const key of [...expected.live.keys()].slice(0, 5)) {
      await engine.delete(key);
      expected.live.delete(key);
      expected.gone.push(key);
    }
    const key = randomKey();
    const value = randomValue(90);
    await engine.put(key, value);
    expected.live.set(key, value);
    const second = await engine.compact();
    assert.ok(second);
    assert.equal(second.copiedRecords, expected.live.size);
    const late = randomKey();
    await engine.put(late, value);
    expected.live.set(late, value);
    await expectContents(engine, expected);
    await engine.close();
    const reopened = await openEngine(dir(), SMALL);
    await expectContents(reopened, expected);
    await reopened.close();
  });

  it("keeps every record when it starts by itself twice before the segment being written fills", async () => {
    const events: EngineEvent[] = [];
    const options = { segmentBytes: 64 * 1024, compactDeadBytes: 16 * 1024, compactDeadRatio: 0, onEvent: (e: EngineEvent) => events.push(e) };
    const engine = await openEngine(dir(), options);
    const live = new Map<Uint8Array, Uint8Array>();
    const keys = Array.from({ length: 64 }, () => randomKey());
    for (const key of keys) {
      const value = randomValue(1000);
      await engine.put(key, value);
      live.set(key, value);
    }
    // Each delete adds dead bytes to the sealed segments until two compactions have run.
    const gone: Uint8Array[] = [];
    for (const key of keys.slice(0, 60)) {
      await engine.delete(key);
      live.delete(key);
      gone.push(key);
      while (engine.stats().compacting) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const extra = randomKey();
    const value = randomValue(1000);
    await engine.put(extra, value);
    live.set(extra, value);
    await engine.close();
    assert.ok(events.filter((e) => e.type === "compacted").length >= 2, JSON.stringify(events.map((e) => e.type)));
    assert.ok(!events.some((e) => e.type === "compaction-failed" || e.type === "failed"));
    const reopened = await openEngine(dir(), options);
    await expectContents(reopened, { live, gone });
    await reopened.close();
  });

  it("reports a live record that fails its checksum during the copy and drops it", async () => {
    const engine = await openEngine(dir(), SMALL);
    const victim = randomKey();
    await engine.put(victim, randomValue(100));
    const expected = await churn(engine);
    const path = join(dir(), segmentFileName(2, "log"));
    const bytes = readFileSync(path);
    bytes[16 + 60]! ^= 1;
    writeFileSync(path, bytes);
    const result = await engine.compact();
    assert.equal(result?.lostRecords, 1);
    assert.equal(await engine.get(victim), undefined);
    await expectContents(engine, expected);
    await engine.close();
  });

  it("keeps the old segments when writing the new one fails, and tries again later", async () => {
    let failing = true;
    const events: EngineEvent[] = [];
    const fileSystem = faultyFileSystem((op) =>
      failing && op.kind === "writev" && op.path.endsWith(".tmp") ? fsError("EIO") : undefined,
    );
    const engine = await openEngine(dir(), { ...SMALL, fileSystem, onEvent: (e) => events.push(e) });
    const expected = await churn(engine);
    assert.equal(await engine.compact(), undefined);
    assert.ok(events.some((e) => e.type === "compaction-failed"));
    assert.equal(readdirSync(dir()).filter((n) => n.endsWith(".tmp")).length, 0);
    await expectContents(engine, expected);
    failing = false;
    assert.ok(await engine.compact());
    await expectContents(engine, expected);
    await engine.close();
  });

  it("stops the engine when switching to the new segment fails, and recovers at restart", async () => {
    const events: EngineEvent[] = [];
    const fileSystem = faultyFileSystem((op) => (op.kind === "syncDir" && events.length > 1 ? fsError("EIO") : undefined));
    const engine = await openEngine(dir(), { ...SMALL, fileSystem, onEvent: (e) => events.push(e) });
    events.push({ type: "compaction-failed", error: new Error("marker: directory syncs fail from here") });
    const expected = { live: new Map([[randomKey(), randomValue(50)]]), gone: [] };
    for (const [k, v] of expected.live) await engine.put(k, v);
    await assert.rejects(engine.compact(), /stopped after a failed write or sync/);
    assert.ok(events.some((e) => e.type === "failed"));
    await assert.rejects(engine.put(randomKey(), randomValue(1)), /stopped/);
    await engine.close();
    const reopened = await openEngine(dir(), SMALL);
    await expectContents(reopened, expected);
    await reopened.close();
  });

  it("leaves every acknowledged record readable when the process dies at any step", async () => {
    for (let step = 0; ; step++) {
      const stepDir = join(dir(), `step-${step}`);
      const setup = await openEngine(stepDir, SMALL);
      const expected = await churn(setup);
      await setup.close();

      const crash = crashAfter(step);
      let armed = false;
      const fileSystem = faultyFileSystem((op) => (armed ? crash.plan(op) : undefined));
      const engine = await openEngine(stepDir, { ...SMALL, fileSystem });
      armed = true;
      await engine.compact().catch(() => undefined);
      await engine.close();

      const reopened = await openEngine(stepDir, SMALL);
      await expectContents(reopened, expected);
      await reopened.close();
      assert.equal(readdirSync(stepDir).filter((n) => n.endsWith(".tmp")).length, 0, `step ${step}`);
      if (!crash.crashed) {
        assert.ok(step > 10, "compaction takes more than ten file operations");
        break;
      }
    }
  });
});
