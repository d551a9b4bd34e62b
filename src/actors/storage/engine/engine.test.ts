import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, mock } from "node:test";
import { StorageFailedError } from "../../../protocol/wire/mod.ts";
import { faultyFileSystem, fsError } from "./_faulty-fs.ts";
import { randomKey, randomValue, useTempDir } from "./_test-dir.ts";
import { type EngineEvent, openEngine } from "./engine.ts";
import { segmentFileName } from "./segment-file.ts";

describe("openEngine()", () => {
  const dir = useTempDir();

  it("puts, gets, overwrites and deletes", async () => {
    const engine = await openEngine(dir());
    const key = randomKey();
    assert.equal(await engine.get(key), undefined);
    assert.equal(engine.valueLength(key), undefined);
    await engine.put(key, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await engine.get(key), new Uint8Array([1, 2, 3]));
    assert.equal(engine.valueLength(key), 3);
    await engine.put(key, new Uint8Array([4]));
    assert.deepEqual(await engine.get(key), new Uint8Array([4]));
    assert.equal(engine.valueLength(key), 1);
    assert.equal(await engine.delete(key), true);
    assert.equal(await engine.delete(key), false);
    assert.equal(await engine.get(key), undefined);
    assert.equal(engine.valueLength(key), undefined);
    const stats = engine.stats();
    assert.equal(stats.records, 0);
    assert.equal(stats.liveBytes, 0);
    assert.equal(stats.deadBytes, 3 * 43 + 3 + 1);
    await engine.close();
  });

  it("finds everything again after reopening, deletes included", async () => {
    const engine = await openEngine(dir());
    const kept = Array.from({ length: 50 }, () => [randomKey(), randomValue(100)] as const);
    const gone = randomKey();
    await Promise.all([...kept.map(([k, v]) => engine.put(k, v)), engine.put(gone, randomValue(10))]);
    await engine.delete(gone);
    await engine.close();

    const reopened = await openEngine(dir());
    for (const [k, v] of kept) assert.deepEqual(await reopened.get(k), v);
    assert.equal(await reopened.get(gone), undefined);
    assert.equal(reopened.stats().records, 50);
    await reopened.close();
  });

  it("getMany() answers like get() across segments, for absent keys and for a damaged record", async () => {
    const engine = await openEngine(dir(), { segmentBytes: 4096 });
    const records = Array.from({ length: 40 }, () => [randomKey(), randomValue(300)] as const);
    for (let i = 0; i < records.length; i += 10) await Promise.all(records.slice(i, i + 10).map(([k, v]) => engine.put(k, v)));
    assert.ok(engine.stats().segments > 1);
    const absent = randomKey();
    const keys = [absent, ...records.map(([k]) => k).reverse()];
    const values = await engine.getMany(keys);
    assert.equal(values[0], undefined);
    assert.deepEqual(values.slice(1), records.map(([, v]) => v).reverse());
    assert.deepEqual(await engine.getMany([]), []);
    await engine.close();

    // Damage one value on disk: that record alone fails, as with get().
    const [damagedKey, damagedValue] = records[5]!;
    const segment = readdirSync(dir()).filter((name) => name.endsWith(".log")).map((name) => join(dir(), name))
      .find((path) => readFileSync(path).includes(Buffer.from(damagedValue)))!;
    const bytes = readFileSync(segment);
    bytes[bytes.indexOf(Buffer.from(damagedValue)) + 7]! ^= 1;
    writeFileSync(segment, bytes);
    const reopened = await openEngine(dir(), { segmentBytes: 4096 });
    const [damaged, neighbour] = await reopened.getMany([damagedKey, records[6]![0]]);
    assert.ok(damaged instanceof StorageFailedError);
    assert.deepEqual(neighbour, records[6]![1]);
    await assert.rejects(reopened.get(damagedKey), StorageFailedError);
    await assert.rejects(reopened.getMany([new Uint8Array(31)]), RangeError);
    await reopened.close();
  });

  it("rejects keys that are not 32 bytes", async () => {
    const engine = await openEngine(dir());
    await assert.rejects(engine.put(new Uint8Array(31), new Uint8Array()), RangeError);
    await assert.rejects(engine.get(new Uint8Array(33)), RangeError);
    assert.throws(() => engine.valueLength(new Uint8Array(31)), RangeError);
    await engine.close();
  });

  it("shares one fsync among writes that arrive together", async () => {
    let syncs = 0;
    const fileSystem = faultyFileSystem((op) => {
      if (op.kind === "datasync" && op.path.endsWith(".log")) syncs++;
      return undefined;
    });
    const engine = await openEngine(dir(), { fileSystem });
    syncs = 0;
    await Promise.all(Array.from({ length: 200 }, () => engine.put(randomKey(), randomValue(64))));
    assert.ok(syncs >= 1 && syncs <= 2, `${syncs} fsyncs for 200 concurrent puts`);
    syncs = 0;
    await engine.put(randomKey(), randomValue(64));
    assert.equal(syncs, 1);
    await engine.close();
  });

  it("answers a lone put without waiting on any timer", async () => {
    const engine = await openEngine(dir());
    mock.timers.enable({ apis: ["setTimeout", "setInterval", "setImmediate"] });
    try {
      await engine.put(randomKey(), randomValue(10));
      assert.equal(await engine.delete(randomKey()), false);
    } finally {
      mock.timers.reset();
    }
    await engine.close();
  });

  it("applies a delete queued right after a put of the same key", async () => {
    const engine = await openEngine(dir());
    const key = randomKey();
    const [, deleted] = await Promise.all([engine.put(key, randomValue(5)), engine.delete(key)]);
    assert.equal(deleted, true);
    assert.equal(await engine.get(key), undefined);
    await engine.close();
  });

  it("rolls over to new segments and starts again from their hint files", async () => {
    const engine = await openEngine(dir(), { segmentBytes: 4096 });
    const records = Array.from({ length: 120 }, () => [randomKey(), randomValue(200)] as const);
    for (const [k, v] of records) await engine.put(k, v);
    assert.ok(engine.stats().segments > 4);
    await engine.close();
    assert.ok(readdirSync(dir()).filter((n) => n.endsWith(".hint")).length >= 4);

    const events: EngineEvent[] = [];
    const reopened = await openEngine(dir(), { segmentBytes: 4096, onEvent: (e) => events.push(e) });
    const opened = events.find((e) => e.type === "opened");
    assert.ok(opened && opened.type === "opened" && opened.hintedSegments >= 4 && opened.records === 120);
    for (const [k, v] of records) assert.deepEqual(await reopened.get(k), v);
    await reopened.close();
  });

  it("lets reads in progress finish when it closes", async () => {
    const engine = await openEngine(dir());
    const key = randomKey();
    const value = randomValue(5000);
    await engine.put(key, value);
    const reading = engine.get(key);
    const closing = engine.close();
    assert.deepEqual(await reading, value);
    await closing;
    await assert.rejects(engine.get(key), /The storage engine is closed/);
  });

  it("refuses options out of range, naming them", async () => {
    await assert.rejects(openEngine(dir(), { segmentBytes: 10 }), /Invalid option "segmentBytes"/);
    await assert.rejects(openEngine(dir(), { compactDeadRatio: 2 }), /Invalid option "compactDeadRatio"/);
  });
});

describe("openEngine() when the disk fails", () => {
  const dir = useTempDir();
  const segment = () => join(dir(), segmentFileName(2, "log"));

  it("stops for good after a failed fsync and never answers ok", async () => {
    let failSync = false;
    const events: EngineEvent[] = [];
    const fileSystem = faultyFileSystem((op) => (failSync && op.kind === "datasync" ? fsError("EIO") : undefined));
    const engine = await openEngine(dir(), { fileSystem, onEvent: (e) => events.push(e) });
    const kept = randomKey();
    const keptValue = randomValue(10);
    await engine.put(kept, keptValue);
    failSync = true;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => engine.put(randomKey(), randomValue(10))));
    assert.ok(outcomes.every((o) => o.status === "rejected" && o.reason instanceof StorageFailedError));
    assert.equal(events.filter((e) => e.type === "failed").length, 1);
    failSync = false;
    await assert.rejects(engine.put(randomKey(), randomValue(10)), /stopped after a failed write or sync/);
    await assert.rejects(engine.get(kept), StorageFailedError);
    await engine.close();

    const reopened = await openEngine(dir());
    assert.deepEqual(await reopened.get(kept), keptValue);
    await reopened.close();
  });

  it("stops after a write error other than a full disk", async () => {
    let failing = false;
    const fileSystem = faultyFileSystem((op) => (failing && op.kind === "writev" ? fsError("EIO") : undefined));
    const engine = await openEngine(dir(), { fileSystem });
    failing = true;
    await assert.rejects(engine.put(randomKey(), randomValue(10)), /stopped after a failed write or sync/);
    await assert.rejects(engine.delete(randomKey()), /stopped/);
    await engine.close();
  });

  it("answers STORAGE_FAILED on a full disk, cuts the partial write and goes on once there is room", async () => {
    let room = 100;
    const fileSystem = faultyFileSystem((op) => (op.kind === "writev" && room < 0 ? fsError("ENOSPC") : undefined));
    const engine = await openEngine(dir(), { fileSystem });
    const kept = randomKey();
    await engine.put(kept, randomValue(10));
    const size = statSync(segment()).size;
    room = -1;
    const full = await Promise.allSettled([engine.put(randomKey(), randomValue(500)), engine.put(randomKey(), randomValue(5))]);
    for (const outcome of full) {
      assert.equal(outcome.status, "rejected");
      assert.match((outcome as PromiseRejectedResult).reason.message, /disk or the file size limit is full/);
    }
    assert.equal(statSync(segment()).size, size);
    room = 100;
    const later = randomKey();
    await engine.put(later, randomValue(10));
    assert.ok(await engine.get(kept));
    assert.ok(await engine.get(later));
    await engine.close();
  });
});
