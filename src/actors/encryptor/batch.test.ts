import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { BATCH_ITEM_OVERHEAD, StrongroomError, UnavailableError } from "../../protocol/wire/mod.ts";
import type { ActorContext, Handler } from "../runtime/mod.ts";
import { type Engine, openEngine, storageHandlers } from "../storage/mod.ts";
import { encryptorHandlers, type EncryptorLimits } from "./encryptor.ts";

type Result = { key?: Uint8Array; payload?: Uint8Array; code?: string; message?: string };
type StorageCall = { op: string; body: unknown };

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);

describe("encryptorHandlers(): storeMany and retrieveMany", () => {
  let dir: string;
  let engine: Engine;
  let storage: Record<string, Handler>;
  let calls: StorageCall[];
  // Stands in for the broker: each storage call runs the real storage op, unless a test swaps it.
  let route: (op: string, body: unknown) => Promise<unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-encryptor-"));
    engine = await openEngine(dir);
    storage = storageHandlers(engine);
  });
  after(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    calls = [];
    route = async (op, body) => storage[op]!({ ...context(body), call: () => Promise.reject(new Error("unused")) });
  });

  function context(body: unknown, tenant = ""): ActorContext {
    return {
      body,
      tenant,
      signal: new AbortController().signal,
      deadline: performance.now() + 10_000,
      upload: undefined,
      callStream: () => Promise.reject(new Error("unused")),
      call(to, op, callBody) {
        assert.equal(to, "storage");
        calls.push({ op, body: callBody });
        return route(op, callBody);
      },
    };
  }

  // Runs an op; a batch op's answer comes back as its list of results.
  function ops(limits: EncryptorLimits = {}) {
    const handlers = encryptorHandlers(limits);
    return async (op: string, body: unknown, tenant = ""): Promise<Result[] & Result> => {
      const answer = (await handlers[op]!(context(body, tenant))) as Result & { results?: Result[] };
      return (answer.results ?? answer) as Result[] & Result;
    };
  }

  it("stores a batch with one putMany, answers a key per item in order, and each key opens its own record", async () => {
    const op = ops();
    const items = Array.from({ length: 20 }, (_, i) => ({ id: bytes(`id-${i}`), payload: randomBytes(i * 50) }));
    const stored = (await op("storeMany", { items }));
    assert.deepEqual(calls.map((c) => c.op), ["putMany"]);
    assert.equal(stored.length, 20);
    assert.equal(new Set(stored.map((r) => Buffer.from(r.key!).toString("hex"))).size, 20);
    // The single op opens what the batch stored, and the batch op what the single op stored.
    for (const [i, { key }] of stored.entries()) {
      const { payload } = await op("retrieve", { id: items[i]!.id, key });
      assert.deepEqual(Buffer.from(payload!), items[i]!.payload);
    }
    const { key } = await op("store", { id: bytes("single"), payload: bytes("one") });
    calls = [];
    const got = (await op("retrieveMany", { items: [...items.map((item, i) => ({ id: item.id, key: stored[i]!.key })), { id: bytes("single"), key }] }));
    assert.deepEqual(calls.map((c) => c.op), ["getMany"]);
    assert.deepEqual(got.map((r) => Buffer.from(r.payload!)), [...items.map((item) => item.payload), Buffer.from("one")]);
  });

  it("uses a fresh nonce for every item", async () => {
    const op = ops();
    await op("storeMany", { items: Array.from({ length: 50 }, () => ({ id: bytes("same id"), payload: bytes("same payload") })) });
    const values = (calls[0]!.body as { items: { value: Uint8Array }[] }).items.map((item) => item.value);
    assert.equal(new Set(values.map((value) => Buffer.from(value.subarray(2, 14)).toString("hex"))).size, 50);
  });

  it("answers each invalid item on its own and stores the others", async () => {
    const op = ops({ maxId: 16, maxPayload: 64 * 1024 });
    const results = (await op("storeMany", {
      items: [
        { id: bytes("good-0"), payload: bytes("zero") },
        "not a map",
        { id: new Uint8Array(17), payload: bytes("id too long") },
        { id: bytes("good-1"), payload: "not bytes" },
        { id: bytes("good-2"), payload: new Uint8Array(64 * 1024 + 1) },
        { payload: bytes("no id") },
        { id: bytes("good-3"), payload: bytes("three") },
      ],
    }));
    assert.deepEqual(results.map((r) => r.code ?? "ok"), ["ok", "BAD_REQUEST", "TOO_LARGE", "BAD_REQUEST", "TOO_LARGE", "BAD_REQUEST", "ok"]);
    assert.deepEqual(results[1], { code: "BAD_REQUEST", message: "Invalid item: expected a map" });
    assert.match(results[2]!.message!, /"id": 17 bytes is over the limit of 16/);
    assert.equal((calls[0]!.body as { items: unknown[] }).items.length, 2);
    const got = (await op("retrieveMany", { items: [{ id: bytes("good-3"), key: results[6]!.key }, { id: bytes("good-0"), key: results[0]!.key }] }));
    assert.deepEqual(got.map((r) => text(r.payload)), ["three", "zero"]);
  });

  it("answers a wrong key, an unknown id, another tenant and a bad key each on its own, with one message for every miss", async () => {
    const op = ops({ maxId: 16 });
    const [stored] = (await op("storeMany", { items: [{ id: bytes("mine"), payload: bytes("payload") }] }, "acme"));
    const key = stored!.key!;
    const singleMiss = await op("retrieve", { id: bytes("mine"), key: randomBytes(32) }, "acme").then(
      () => assert.fail("expected NOT_FOUND"),
      (error: StrongroomError) => error.message,
    );
    const results = (await op(
      "retrieveMany",
      {
        items: [
          { id: bytes("mine"), key: randomBytes(32) },
          { id: bytes("not mine"), key },
          { id: bytes("mine"), key: key.subarray(1) },
          { id: new Uint8Array(17), key },
          { id: bytes("mine"), key },
        ],
      },
      "acme",
    ));
    assert.deepEqual(results.map((r) => r.code ?? text(r.payload)), ["NOT_FOUND", "NOT_FOUND", "BAD_REQUEST", "TOO_LARGE", "payload"]);
    assert.equal(results[0]!.message, singleMiss);
    assert.equal(results[1]!.message, singleMiss);
    const [otherTenant] = (await op("retrieveMany", { items: [{ id: bytes("mine"), key }] }, "other"));
    assert.deepEqual(otherTenant, { code: "NOT_FOUND", message: singleMiss });
  });

  it("answers STORAGE_FAILED for an item whose ciphertext was damaged, and the others still", async () => {
    const op = ops();
    const stored = (await op("storeMany", { items: [{ id: bytes("a"), payload: bytes("A") }, { id: bytes("b"), payload: bytes("B") }] }));
    const real = route;
    route = async (op, body) => {
      const answer = (await real(op, body)) as { results: { value: Uint8Array }[] };
      answer.results[0]!.value = Uint8Array.from(answer.results[0]!.value, (b, i) => (i === 20 ? b ^ 1 : b));
      return answer;
    };
    const results = (await op("retrieveMany", { items: [{ id: bytes("a"), key: stored[0]!.key }, { id: bytes("b"), key: stored[1]!.key }] }));
    assert.equal(results[0]!.code, "STORAGE_FAILED");
    assert.equal(text(results[1]!.payload), "B");
  });

  it("answers an empty batch without calling storage", async () => {
    const op = ops();
    assert.deepEqual(await op("storeMany", { items: [] }), []);
    assert.deepEqual(await op("retrieveMany", { items: [] }), []);
    assert.deepEqual(await op("storeMany", { items: ["only bad"] }), [{ code: "BAD_REQUEST", message: "Invalid item: expected a map" }]);
    assert.deepEqual(calls, []);
  });

  it("refuses as a whole, without calling storage, a batch over the item limit, over the byte limit, or not a list", async () => {
    const op = ops({ maxBatch: 3, maxPayload: 3 * BATCH_ITEM_OVERHEAD + 100 });
    const item = (size: number) => ({ id: bytes("id"), payload: new Uint8Array(size) });
    const refusal = (code: string, message: RegExp) => (error: unknown) =>
      error instanceof StrongroomError && error.code === code && message.test(error.message);
    await assert.rejects(op("storeMany", { items: [item(1), item(1), item(1), item(1)] }), refusal("TOO_LARGE", /4 items is over the limit of 3/));
    await assert.rejects(op("retrieveMany", { items: [1, 2, 3, 4] }), refusal("TOO_LARGE", /4 items/));
    // 3 × (2 + 33 + overhead) is over 3 × overhead + 100.
    await assert.rejects(op("storeMany", { items: [item(33), item(33), item(33)] }), refusal("TOO_LARGE", /Cannot take a batch of \d+ bytes/));
    await assert.rejects(op("storeMany", {}), refusal("BAD_REQUEST", /"items": expected a list/));
    await assert.rejects(op("retrieveMany", { items: { 0: {} } }), refusal("BAD_REQUEST", /"items": expected a list/));
    assert.deepEqual(calls, []);
    assert.equal((await op("storeMany", { items: [item(30), item(30), item(30)] })).length, 3);
  });

  it("leaves the values room for every item's result in its answer, those that failed their checks included", async () => {
    const maxPayload = 4 * BATCH_ITEM_OVERHEAD + 1000;
    const op = ops({ maxPayload });
    const stored = await op("storeMany", { items: [{ id: bytes("a"), payload: new Uint8Array(600) }, { id: bytes("b"), payload: new Uint8Array(400) }] });
    calls = [];
    const results = await op("retrieveMany", {
      items: [{ id: bytes("a"), key: stored[0]!.key }, "bad", "bad", { id: bytes("b"), key: stored[1]!.key }],
    });
    // Four results leave 1000 bytes: the first value (630 stored) fits, the second (430) does not.
    assert.equal((calls[0]!.body as { room: number }).room, 1000);
    assert.deepEqual(results.map((r) => r.code ?? r.payload!.length), [600, "BAD_REQUEST", "BAD_REQUEST", "TOO_LARGE"]);
  });

  it("fails the whole call when the storage request fails", async () => {
    const op = ops();
    route = () => Promise.reject(new UnavailableError("Storage went away"));
    await assert.rejects(op("storeMany", { items: [{ id: bytes("a"), payload: bytes("A") }] }), UnavailableError);
    await assert.rejects(op("retrieveMany", { items: [{ id: bytes("a"), key: randomBytes(32) }] }), UnavailableError);
  });

  it("answers INTERNAL, not BAD_REQUEST, when storage answers getMany malformed", async () => {
    const op = ops();
    for (const answer of [{}, { results: [] }, { results: [{ value: "text" }] }, { results: [{ code: "NOPE", message: "x" }] }]) {
      route = async () => answer;
      await assert.rejects(op("retrieveMany", { items: [{ id: bytes("a"), key: randomBytes(32) }] }), (error: unknown) =>
        error instanceof StrongroomError && error.code === "INTERNAL");
    }
  });
});
