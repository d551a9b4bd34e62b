import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BATCH_ITEM_OVERHEAD, StrongroomError } from "../../protocol/wire/mod.ts";
import type { ActorContext, Handler } from "../runtime/mod.ts";
import { faultyFileSystem, type FaultPlan, fsError } from "./engine/_faulty-fs.ts";
import { randomKey, randomValue, useTempDir } from "./engine/_test-dir.ts";
import { openEngine } from "./engine/mod.ts";
import { storageHandlers, type StorageLimits } from "./storage.ts";

type Results = { results: Record<string, unknown>[] };

function context(body: unknown): ActorContext {
  return {
    body,
    tenant: "",
    signal: new AbortController().signal,
    deadline: performance.now() + 10_000,
    upload: undefined,
    call: () => Promise.reject(new Error("The storage ops call no one")),
    callStream: () => Promise.reject(new Error("The storage ops call no one")),
  };
}

function rejectsWith(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StrongroomError);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

describe("storageHandlers(): putMany and getMany", () => {
  const dir = useTempDir();
  let fileOps: { kind: string; path: string }[] = [];
  let failWith: Error | undefined;
  const plan: FaultPlan = (op) => {
    fileOps.push(op);
    return op.kind === "datasync" ? failWith : undefined;
  };

  async function open(limits: StorageLimits = {}) {
    failWith = undefined;
    const engine = await openEngine(dir(), { fileSystem: faultyFileSystem(plan) });
    const handlers = storageHandlers(engine, limits);
    const op = (name: string, body: unknown) => (handlers[name] as Handler)(context(body)) as Promise<unknown>;
    fileOps = [];
    return { engine, op };
  }
  const syncs = () => fileOps.filter((o) => o.kind === "datasync" && o.path.endsWith(".log")).length;

  it("writes a putMany of 100 items with one write and one fsync, and answers after it", async () => {
    const { engine, op } = await open();
    const items = Array.from({ length: 100 }, (_, i) => ({ locator: randomKey(), value: randomValue(i * 10) }));
    assert.deepEqual(await op("putMany", { items }), {});
    assert.equal(syncs(), 1);
    assert.equal(fileOps.filter((o) => o.kind === "writev").length, 1);
    await engine.close();

    const reopened = await openEngine(dir());
    for (const { locator, value } of items) assert.deepEqual(await reopened.get(locator), value);
    await reopened.close();
  });

  it("answers an empty putMany without touching the disk", async () => {
    const { engine, op } = await open();
    assert.deepEqual(await op("putMany", { items: [] }), {});
    assert.deepEqual(fileOps, []);
    await engine.close();
  });

  it("fails the whole putMany when its fsync fails, never ok", async () => {
    const { engine, op } = await open();
    failWith = fsError("EIO");
    const items = Array.from({ length: 10 }, () => ({ locator: randomKey(), value: randomValue(10) }));
    await assert.rejects(op("putMany", { items }), rejectsWith("STORAGE_FAILED", /./));
    await engine.close().catch(() => {});
  });

  it("refuses a malformed putMany as a whole before writing anything, naming the item but not its bytes", async () => {
    const { engine, op } = await open({ maxValue: 100, maxBatch: 3 });
    const good = { locator: randomKey(), value: randomValue(5) };
    const cases: [unknown, string, RegExp][] = [
      [{}, "BAD_REQUEST", /"items": expected a list/],
      [{ items: "no" }, "BAD_REQUEST", /"items": expected a list/],
      [{ items: [good, good, good, good] }, "TOO_LARGE", /4 items is over the limit of 3/],
      [{ items: [good, 7] }, "BAD_REQUEST", /^Invalid item 1: expected a map$/],
      [{ items: [good, { locator: randomKey().subarray(1), value: randomValue(1) }] }, "BAD_REQUEST", /^Invalid item 1: .*"locator": expected 32 bytes, got 31$/],
      [{ items: [good, { locator: randomKey() }] }, "BAD_REQUEST", /^Invalid item 1: .*"value": expected a byte string$/],
      [{ items: [good, { locator: randomKey(), value: randomValue(101) }] }, "TOO_LARGE", /^Invalid item 1: .*101 bytes is over the limit of 100$/],
    ];
    for (const [body, code, message] of cases) await assert.rejects(op("putMany", body), rejectsWith(code, message));
    assert.equal(engine.valueLength(good.locator), undefined);
    assert.equal(fileOps.filter((o) => o.kind === "writev").length, 0);
    await engine.close();
  });

  it("answers getMany per locator, in order, with NOT_FOUND for what is absent", async () => {
    const { engine, op } = await open();
    const stored = Array.from({ length: 5 }, () => ({ locator: randomKey(), value: randomValue(20) }));
    await op("putMany", { items: stored });
    const absent = randomKey();
    const asked = [stored[3]!.locator, absent, stored[0]!.locator, stored[3]!.locator];
    const { results } = (await op("getMany", { locators: asked })) as Results;
    assert.deepEqual(results[0], { value: stored[3]!.value });
    assert.deepEqual(results[1], { code: "NOT_FOUND", message: "No value under this locator" });
    assert.deepEqual(results[2], { value: stored[0]!.value });
    assert.deepEqual(results[3], { value: stored[3]!.value });
    assert.deepEqual(await op("getMany", { locators: [] }), { results: [] });
    await engine.close();
  });

  it("answers TOO_LARGE for values that do not fit the answer, without reading them, and fills the rest in order", async () => {
    // Room for three results' overhead and 250 bytes of values.
    const { engine, op } = await open({ maxAnswer: 3 * BATCH_ITEM_OVERHEAD + 250 });
    // The large value lies between the others and is too large to be read as a gap between them.
    const [small, large, medium] = [100, 100_000, 150].map((length) => ({ locator: randomKey(), value: randomValue(length) }));
    await op("putMany", { items: [small, large, medium] });
    fileOps = [];
    const { results } = (await op("getMany", { locators: [small!.locator, large!.locator, medium!.locator] })) as Results;
    assert.deepEqual(results[0], { value: small!.value });
    assert.equal(results[1]!.code, "TOO_LARGE");
    assert.match(results[1]!.message as string, /get it alone or in a smaller batch/);
    assert.deepEqual(results[2], { value: medium!.value });
    assert.equal(fileOps.filter((o) => o.kind === "read").length, 2);
    await engine.close();
  });

  it("holds no more values than the caller's room, when that is less than its own", async () => {
    const { engine, op } = await open();
    const [first, second] = [100, 100].map((length) => ({ locator: randomKey(), value: randomValue(length) }));
    await op("putMany", { items: [first, second] });
    const { results } = (await op("getMany", { locators: [first!.locator, second!.locator], room: 150 })) as Results;
    assert.deepEqual(results[0], { value: first!.value });
    assert.equal(results[1]!.code, "TOO_LARGE");
    for (const room of [-1, 1.5, "many"]) {
      await assert.rejects(op("getMany", { locators: [first!.locator], room }), rejectsWith("BAD_REQUEST", /"room"/));
    }
    await engine.close();
  });

  it("reads the records of a batch written together with one read", async () => {
    const { engine, op } = await open();
    const items = Array.from({ length: 100 }, () => ({ locator: randomKey(), value: randomValue(1024) }));
    await op("putMany", { items });
    fileOps = [];
    const { results } = (await op("getMany", { locators: items.map((item) => item.locator).reverse() })) as Results;
    assert.deepEqual(results.map((r) => r.value), items.map((item) => item.value).reverse());
    assert.equal(fileOps.filter((o) => o.kind === "read").length, 1);
    await engine.close();
  });

  it("answers STORAGE_FAILED for a value that fails its checksum, and the others still", async () => {
    const { engine, op } = await open();
    const [kept, damaged] = [randomValue(64), randomValue(64)].map((value) => ({ locator: randomKey(), value }));
    await op("putMany", { items: [kept, damaged] });
    const segment = join(dir(), readdirSync(dir()).find((name) => name.endsWith(".log"))!);
    const bytes = readFileSync(segment);
    bytes[bytes.indexOf(Buffer.from(damaged!.value)) + 10]! ^= 1;
    writeFileSync(segment, bytes);
    const { results } = (await op("getMany", { locators: [damaged!.locator, kept!.locator] })) as Results;
    assert.equal(results[0]!.code, "STORAGE_FAILED");
    assert.deepEqual(results[1], { value: kept!.value });
    await engine.close();
  });

  it("refuses a malformed getMany as a whole", async () => {
    const { engine, op } = await open({ maxBatch: 2 });
    await assert.rejects(op("getMany", { locators: "no" }), rejectsWith("BAD_REQUEST", /"locators": expected a list/));
    await assert.rejects(op("getMany", { locators: [randomKey(), randomKey(), randomKey()] }), rejectsWith("TOO_LARGE", /3 items/));
    await assert.rejects(op("getMany", { locators: [randomKey(), new Uint8Array(3)] }), rejectsWith("BAD_REQUEST", /^Invalid item 1: .*expected 32 bytes, got 3$/));
    await engine.close();
  });
});
