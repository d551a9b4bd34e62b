import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import WebSocket from "ws";
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  type StoreResult,
  TooLargeError,
} from "../../src/client/mod.ts";
import { Connection } from "../../src/protocol/peer/mod.ts";
import { DEFAULT_MAX_BATCH } from "../../src/protocol/wire/mod.ts";
import { clusterWithClient } from "../_helpers/cluster.ts";

function keyOf(result: StoreResult | undefined): Uint8Array {
  assert.ok(result?.ok, result && !result.ok ? `${result.error.code}: ${result.error.message}` : "no result");
  return result.key;
}

describe("storeMany and retrieveMany through broker, encryptor and storage processes", () => {
  const suite = clusterWithClient({ client: { timeout: 30_000 } });

  it("round-trips a batch of binary ids and payloads of many sizes, in order", async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      id: new Uint8Array(randomBytes(i % 17)),
      payload: new Uint8Array(randomBytes(i === 99 ? 256 * 1024 : i * 31)),
    }));
    const stored = await suite.client.storeMany(items);
    assert.equal(stored.length, items.length);
    const keys = stored.map(keyOf);
    const got = await suite.client.retrieveMany(items.map(({ id }, i) => ({ id, key: keys[i]! })));
    for (const [i, result] of got.entries()) {
      assert.ok(result.ok, `item ${i}`);
      assert.deepEqual(result.payload, items[i]!.payload);
    }
  });

  it("opens with the single calls what a batch stored, and with a batch what a single call stored", async () => {
    const [batchResult] = await suite.client.storeMany([{ id: "from a batch", payload: "batch" }]);
    assert.equal(new TextDecoder().decode(await suite.client.retrieve("from a batch", keyOf(batchResult))), "batch");
    const key = await suite.client.store("from a single call", "single");
    const [result] = await suite.client.retrieveMany([{ id: "from a single call", key }]);
    assert.ok(result?.ok);
    assert.equal(new TextDecoder().decode(result.payload), "single");
  });

  it("answers each item on its own, in order: a wrong key, an unknown id, an id too long and a short key fail alone", async () => {
    const [first, second] = (await suite.client.storeMany([{ id: "first", payload: "one" }, { id: "second", payload: "two" }])).map(keyOf);
    const results = await suite.client.retrieveMany([
      { id: "second", key: second! },
      { id: "first", key: second! },
      { id: "never stored", key: first! },
      { id: "x".repeat(1025), key: first! },
      { id: "first", key: first!.subarray(0, 16) },
      { id: "first", key: first! },
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? new TextDecoder().decode(r.payload) : r.error.code)),
      ["two", "NOT_FOUND", "NOT_FOUND", "TOO_LARGE", "BAD_REQUEST", "one"],
    );
    const [, wrongKey, unknownId, idTooLong, shortKey] = results;
    assert.ok(!wrongKey!.ok && wrongKey!.error instanceof NotFoundError);
    assert.ok(!unknownId!.ok && unknownId!.error instanceof NotFoundError);
    assert.equal(wrongKey!.error.message, unknownId!.error.message);
    assert.ok(!idTooLong!.ok && idTooLong!.error instanceof TooLargeError);
    assert.ok(!shortKey!.ok && shortKey!.error instanceof BadRequestError);
    // No message names an id or a key.
    for (const result of results) if (!result.ok) assert.doesNotMatch(result.error.message, /first|second|never|xxxx/);

    const stored = await suite.client.storeMany([{ id: "ok", payload: "a" }, { id: "y".repeat(1025), payload: "b" }, { id: "ok too", payload: "c" }]);
    assert.deepEqual(stored.map((r) => (r.ok ? "ok" : r.error.code)), ["ok", "TOO_LARGE", "ok"]);
  });

  it("answers an empty batch with an empty list", async () => {
    assert.deepEqual(await suite.client.storeMany([]), []);
    assert.deepEqual(await suite.client.retrieveMany([]), []);
  });

  it(`refuses a batch over ${DEFAULT_MAX_BATCH} items, and one over the frame limit, with TOO_LARGE`, async () => {
    const tooMany = Array.from({ length: DEFAULT_MAX_BATCH + 1 }, (_, i) => ({ id: `many-${i}`, payload: "p" }));
    await assert.rejects(suite.client.storeMany(tooMany), (error: unknown) => {
      assert.ok(error instanceof TooLargeError);
      assert.match(error.message, new RegExp(`${DEFAULT_MAX_BATCH + 1} items is over the limit of ${DEFAULT_MAX_BATCH}`));
      return true;
    });
    const tooBig = Array.from({ length: 3 }, (_, i) => ({ id: `big-${i}`, payload: new Uint8Array(suite.client.maxPayload / 3) }));
    await assert.rejects(suite.client.storeMany(tooBig), /Cannot send a batch of \d+ bytes: the limit is \d+/);
    // The batches the limits allow go through.
    assert.equal((await suite.client.storeMany(tooMany.slice(0, DEFAULT_MAX_BATCH))).filter((r) => r.ok).length, DEFAULT_MAX_BATCH);
    assert.equal((await suite.client.storeMany(tooBig.slice(0, 2))).filter((r) => r.ok).length, 2);
  });

  it("checks every item on the service side too, past the client's own checks", async () => {
    const raw = await Connection.open((url, protocol) => new WebSocket(url, protocol) as never, suite.cluster.url);
    try {
      const { results } = (await raw.request("encryptor", "storeMany", {
        items: [
          { id: new Uint8Array([1]), payload: new Uint8Array([2]) },
          { id: "text", payload: new Uint8Array() },
          { id: new Uint8Array(1025), payload: new Uint8Array() },
          42,
        ],
      })) as { results: { key?: Uint8Array; code?: string; message?: string }[] };
      assert.equal(results[0]!.key?.length, 32);
      assert.deepEqual(results.slice(1).map((r) => r.code), ["BAD_REQUEST", "TOO_LARGE", "BAD_REQUEST"]);
      const { results: got } = (await raw.request("encryptor", "retrieveMany", {
        items: [{ id: new Uint8Array([1]), key: results[0]!.key }, { id: new Uint8Array([1]), key: new Uint8Array(33) }],
      })) as { results: { payload?: Uint8Array; code?: string }[] };
      assert.deepEqual(new Uint8Array(got[0]!.payload!), new Uint8Array([2]));
      assert.equal(got[1]!.code, "BAD_REQUEST");
      await assert.rejects(raw.request("encryptor", "storeMany", { items: "none" }), BadRequestError);
      // The storage ops stay internal.
      await assert.rejects(raw.request("storage", "getMany", { locators: [] }), ForbiddenError);
    } finally {
      raw.close();
    }
  });

  it("keeps every item of an acknowledged batch across a SIGKILL of storage", async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ id: randomBytes(12), payload: new Uint8Array(randomBytes(i * 7)) }));
    const keys = (await suite.client.storeMany(items)).map(keyOf);

    suite.cluster.part("storage").kill("SIGKILL");
    await suite.cluster.restart("storage");

    const got = await suite.client.retrieveMany(items.map(({ id }, i) => ({ id, key: keys[i]! })));
    for (const [i, result] of got.entries()) {
      assert.ok(result.ok, `item ${i} survived`);
      assert.deepEqual(result.payload, items[i]!.payload);
    }
  });
});
