import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { StorageFailedError } from "../../../protocol/wire/mod.ts";
import { randomKey, randomValue, useTempDir } from "./_test-dir.ts";
import { type EngineEvent, type EngineOptions, openEngine, type RecoveryReport } from "./engine.ts";
import { type FileSystem, NODE_FILE_SYSTEM } from "./file-system.ts";
import { segmentFileName } from "./segment-file.ts";

async function reopen(dir: string, options: EngineOptions = {}) {
  let report: RecoveryReport | undefined;
  const engine = await openEngine(dir, {
    ...options,
    onEvent: (event: EngineEvent) => {
      if (event.type === "opened") report = event;
    },
  });
  return { engine, report: report! };
}

function flipBit(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at]! ^= 0x10;
  writeFileSync(path, bytes);
}

describe("recovery", () => {
  const dir = useTempDir();
  const firstSegment = () => join(dir(), segmentFileName(2, "log"));

  it("cuts a torn last record at every byte offset and keeps the ones before it", async () => {
    const engine = await openEngine(dir());
    const first = randomKey();
    const firstValue = randomValue(20);
    await engine.put(first, firstValue);
    const sizeBefore = statSync(firstSegment()).size;
    await engine.put(randomKey(), randomValue(20));
    await engine.close();
    const sizeAfter = statSync(firstSegment()).size;

    for (let cut = sizeAfter - 1; cut >= sizeBefore; cut--) {
      truncateSync(firstSegment(), cut);
      const { engine: reopened, report } = await reopen(dir());
      assert.equal(report.records, 1);
      assert.equal(report.truncatedBytes, cut - sizeBefore);
      assert.equal(report.damagedRuns, 0);
      assert.deepEqual(await reopened.get(first), firstValue);
      await reopened.close();
      assert.equal(statSync(firstSegment()).size, sizeBefore);
    }
  });

  it("answers STORAGE_FAILED for a value with a flipped bit, then skips it at restart and keeps the rest", async () => {
    const engine = await openEngine(dir());
    const keys = Array.from({ length: 3 }, () => randomKey());
    const values = keys.map(() => randomValue(100));
    for (let i = 0; i < 3; i++) await engine.put(keys[i]!, values[i]!);
    // The middle record's value starts at 16 (header) + 143 (first record) + 43.
    flipBit(firstSegment(), 16 + 143 + 43 + 50);
    await assert.rejects(engine.get(keys[1]!), (error: unknown) => {
      assert.ok(error instanceof StorageFailedError);
      assert.equal(error.code, "STORAGE_FAILED");
      assert.equal(error.message, "Cannot read a record: it failed its checksum");
      return true;
    });
    assert.deepEqual(await engine.get(keys[2]!), values[2]);
    await engine.close();

    const { engine: reopened, report } = await reopen(dir());
    assert.deepEqual(
      { records: report.records, damagedRuns: report.damagedRuns, damagedBytes: report.damagedBytes, truncatedBytes: report.truncatedBytes },
      { records: 2, damagedRuns: 1, damagedBytes: 143, truncatedBytes: 0 },
    );
    assert.deepEqual(await reopened.get(keys[0]!), values[0]);
    assert.equal(await reopened.get(keys[1]!), undefined);
    assert.deepEqual(await reopened.get(keys[2]!), values[2]);
    await reopened.close();
  });

  it("reports damage in the middle of an older segment and keeps the good records after it", async () => {
    const engine = await openEngine(dir(), { segmentBytes: 2048 });
    const records = Array.from({ length: 40 }, () => [randomKey(), randomValue(150)] as const);
    for (const [k, v] of records) await engine.put(k, v);
    await engine.close();
    // Without its hint the segment is scanned; three records in its middle get damaged.
    rmSync(join(dir(), segmentFileName(2, "hint")));
    const bytes = readFileSync(firstSegment());
    bytes.fill(0xee, 16 + 193 * 3 + 5, 16 + 193 * 6 - 7);
    writeFileSync(firstSegment(), bytes);

    const { engine: reopened, report } = await reopen(dir(), { segmentBytes: 2048 });
    assert.equal(report.damagedRuns, 1);
    assert.equal(report.damagedBytes, 193 * 3);
    assert.equal(report.records, 37);
    let missing = 0;
    for (const [k, v] of records) {
      const got = await reopened.get(k);
      if (got === undefined) missing++;
      else assert.deepEqual(got, v);
    }
    assert.equal(missing, 3);
    await reopened.close();
  });

  it("scans a sealed segment whose hint file is damaged instead of trusting it", async () => {
    const engine = await openEngine(dir(), { segmentBytes: 2048 });
    const records = Array.from({ length: 40 }, () => [randomKey(), randomValue(150)] as const);
    for (const [k, v] of records) await engine.put(k, v);
    await engine.close();
    flipBit(join(dir(), segmentFileName(2, "hint")), 100);

    const { engine: reopened, report } = await reopen(dir(), { segmentBytes: 2048 });
    assert.equal(report.segments - 1 - report.hintedSegments, 1, "one sealed segment scanned");
    assert.equal(report.records, 40);
    for (const [k, v] of records) assert.deepEqual(await reopened.get(k), v);
    await reopened.close();
  });

  it("writes the hint of every sealed segment before it closes, on a slow disk too", async () => {
    // Syncing a hint takes 30 ms: segments sealed meanwhile queue their hints behind it, and close comes first.
    const slowHints: FileSystem = {
      ...NODE_FILE_SYSTEM,
      async open(path, mode) {
        const file = await NODE_FILE_SYSTEM.open(path, mode);
        if (!path.includes(".hint")) return file;
        return { ...file, datasync: async () => (await new Promise((resolve) => setTimeout(resolve, 30)), file.datasync()) };
      },
    };
    const engine = await openEngine(dir(), { segmentBytes: 1024, fileSystem: slowHints });
    for (let i = 0; i < 30; i++) await engine.put(randomKey(), randomValue(150));
    await engine.close();
    const { engine: reopened, report } = await reopen(dir(), { segmentBytes: 1024 });
    assert.ok(report.segments > 3, `segments: ${report.segments}`);
    assert.equal(report.hintedSegments, report.segments - 1, "every sealed segment has its hint");
    await reopened.close();
  });

  it("finishes a segment whose creation was interrupted", async () => {
    const engine = await openEngine(dir());
    const key = randomKey();
    await engine.put(key, randomValue(10));
    await engine.close();
    const next = join(dir(), segmentFileName(4, "log"));
    writeFileSync(next, new Uint8Array([0x53, 0x52, 0x53]));

    const { engine: reopened } = await reopen(dir());
    assert.ok(await reopened.get(key));
    await reopened.put(randomKey(), randomValue(10));
    await reopened.close();
    assert.equal(statSync(next).size, 16 + 53);
  });

  it("refuses a segment that is not one of its own, naming the file", async () => {
    writeFileSync(firstSegment(), "not a segment at all");
    await assert.rejects(openEngine(dir()), /Cannot open segment "segment-0000000002\.log": not a strongroom segment/);
    // The lock was freed: the directory opens once the file is gone.
    rmSync(firstSegment());
    await (await openEngine(dir())).close();
  });

  it("removes unfinished files left by an interrupted run", async () => {
    await (await openEngine(dir())).close();
    writeFileSync(join(dir(), "segment-0000000003.log.tmp"), "partial");
    writeFileSync(join(dir(), "segment-0000000009.hint"), "orphan");
    const { engine, report } = await reopen(dir());
    assert.equal(report.removedFiles, 2);
    assert.deepEqual(readdirSync(dir()).sort(), ["LOCK", "segment-0000000002.log"]);
    await engine.close();
  });
});
