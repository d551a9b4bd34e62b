import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BadRequestError,
  BATCH_ITEM_OVERHEAD,
  CancelledError,
  InternalError,
  NotFoundError,
  StrongroomError,
  TimeoutError,
  TooLargeError,
} from "../protocol/wire/mod.ts";
import { type BatchTransport, retrieveMany, storeMany } from "./batch.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const key = (fill: number) => new Uint8Array(32).fill(fill);

/** A transport that records what is sent and answers with `answer(body)`. */
function fakeTransport(answer: (items: Record<string, Uint8Array>[]) => unknown, limits = { maxId: 8, maxPayload: 4096 }) {
  const sent: { op: string; items: Record<string, Uint8Array>[] }[] = [];
  const transport: BatchTransport = {
    role: "encryptor",
    limits,
    async call(op, body) {
      const { items } = body as { items: Record<string, Uint8Array>[] };
      sent.push({ op, items });
      return answer(items);
    },
  };
  return { transport, sent };
}

describe("storeMany()", () => {
  it("sends the items it can, and puts every result back at its item's place", async () => {
    const { transport, sent } = fakeTransport((items) => ({
      results: items.map((item, i) => (i === 1 ? { code: "STORAGE_FAILED", message: "Disk on fire" } : { key: key(item.payload![0]!) })),
    }));
    const results = await storeMany(
      [
        { id: "a", payload: new Uint8Array([1]) },
        { id: "too-long-id", payload: "x" },
        { id: bytes("b"), payload: new Uint8Array([2]) },
        { id: "c", payload: new Uint8Array(4097) },
        { id: "d", payload: new Uint8Array([4]) },
      ],
      transport,
    );
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.op, "storeMany");
    assert.deepEqual(sent[0]!.items.map((item) => new TextDecoder().decode(item.id)), ["a", "b", "d"]);
    assert.deepEqual(results[0], { ok: true, key: key(1) });
    assert.ok(!results[1]!.ok && results[1]!.error instanceof TooLargeError);
    assert.match(results[1]!.error.message, /^Invalid id: 11 bytes is over the limit of 8$/);
    assert.ok(!results[2]!.ok && results[2]!.error instanceof StrongroomError && results[2]!.error.code === "STORAGE_FAILED");
    assert.equal(results[2]!.error.message, "Disk on fire");
    assert.ok(!results[3]!.ok && results[3]!.error instanceof TooLargeError);
    assert.deepEqual(results[4], { ok: true, key: key(4) });
  });

  it("resolves an empty batch, or one whose every item failed its checks, without a request", async () => {
    const { transport, sent } = fakeTransport(() => assert.fail("nothing to send"));
    assert.deepEqual(await storeMany([], transport), []);
    const [only] = await storeMany([{ id: "much-too-long", payload: "" }], transport);
    assert.ok(only && !only.ok && only.error instanceof TooLargeError);
    assert.equal(sent.length, 0);
    const signal = AbortSignal.abort();
    await assert.rejects(storeMany([], { ...transport, signal }), CancelledError);
  });

  it("refuses a batch that does not fit one frame with TOO_LARGE before sending anything", async () => {
    const { transport, sent } = fakeTransport(() => assert.fail("nothing to send"));
    // Each item counts 1 + 1000 + overhead bytes: four of them are over 4096.
    const items = Array.from({ length: 4 }, () => ({ id: "i", payload: new Uint8Array(1000) }));
    await assert.rejects(storeMany(items, transport), (error: unknown) => {
      assert.ok(error instanceof TooLargeError);
      assert.equal(error.message, `Cannot send a batch of ${4 * (1001 + BATCH_ITEM_OVERHEAD)} bytes: the limit is 4096, counting ${BATCH_ITEM_OVERHEAD} bytes an item; split it`);
      return true;
    });
    assert.equal(sent.length, 0);
    assert.equal((await storeMany(items.slice(0, 3), fakeTransport((sent) => ({ results: sent.map(() => ({ key: key(0) })) })).transport)).length, 3);
  });

  it("throws TypeError for what is not a batch of bytes or text", async () => {
    const { transport } = fakeTransport(() => assert.fail("nothing to send"));
    await assert.rejects(storeMany("nope" as never, transport), TypeError);
    await assert.rejects(storeMany([null as never], transport), /Invalid item 0: expected an object/);
    await assert.rejects(storeMany([{ id: 1 as never, payload: "" }], transport), TypeError);
    await assert.rejects(storeMany([{ id: "a", payload: [1] as never }], transport), TypeError);
  });

  it("fails the whole call when the request fails", async () => {
    const transport: BatchTransport = {
      role: "encryptor",
      limits: { maxId: 8, maxPayload: 4096 },
      call: () => Promise.reject(new TimeoutError("Ran out of time")),
    };
    await assert.rejects(storeMany([{ id: "a", payload: "b" }], transport), TimeoutError);
  });

  it("refuses a malformed answer with INTERNAL, not BAD_REQUEST: the fault is the service's", async () => {
    for (const answer of [
      null,
      { results: [] },
      { results: [{ key: key(1) }, { key: key(2) }] },
      { results: [{ key: new Uint8Array(31) }] },
      { results: [{ code: "NO_SUCH_CODE", message: "x" }] },
      { results: [{ code: "NOT_FOUND" }] },
      { results: ["not a map"] },
    ]) {
      const { transport } = fakeTransport(() => answer);
      await assert.rejects(storeMany([{ id: "a", payload: "b" }], transport), (error: unknown) => {
        assert.ok(error instanceof InternalError, JSON.stringify(answer));
        assert.match(error.message, /^Cannot read the answer of "encryptor" to "storeMany": Invalid (answer|field "key")/);
        return true;
      });
    }
  });
});

describe("retrieveMany()", () => {
  it("answers each item on its own: the error class for its code, or its bytes", async () => {
    const { transport, sent } = fakeTransport((items) => ({
      results: items.map((item) => (item.key![0] === 9 ? { code: "NOT_FOUND", message: "No record matches this id and key" } : { payload: item.id })),
    }));
    const results = await retrieveMany(
      [
        { id: "a", key: key(1) },
        { id: "b", key: key(9) },
        { id: "c", key: new Uint8Array(31) },
        { id: "much-too-long", key: key(1) },
        { id: "e", key: key(1) },
      ],
      transport,
    );
    assert.deepEqual(sent[0]!.items.map((item) => new TextDecoder().decode(item.id)), ["a", "b", "e"]);
    assert.deepEqual(results[0], { ok: true, payload: bytes("a") });
    assert.ok(!results[1]!.ok && results[1]!.error instanceof NotFoundError);
    assert.ok(!results[2]!.ok && results[2]!.error instanceof BadRequestError);
    assert.equal(results[2]!.error.message, "Invalid key: expected 32 bytes, got 31");
    assert.ok(!results[3]!.ok && results[3]!.error instanceof TooLargeError);
    assert.deepEqual(results[4], { ok: true, payload: bytes("e") });
  });

  it("gives plain Uint8Array views of what the transport hands over", async () => {
    const { transport } = fakeTransport(() => ({ results: [{ payload: Buffer.from("x") }] }));
    const [result] = await retrieveMany([{ id: "a", key: key(1) }], transport);
    assert.ok(result?.ok);
    assert.equal(result.payload.constructor, Uint8Array);
  });

  it("throws TypeError for a key that is not a Uint8Array", async () => {
    const { transport } = fakeTransport(() => assert.fail("nothing to send"));
    await assert.rejects(retrieveMany([{ id: "a", key: "k".repeat(32) as never }], transport), /Invalid key: expected a Uint8Array/);
  });
});
