import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { BadRequestError, NotFoundError } from "../../src/client/mod.ts";
import { Connection } from "../../src/protocol/peer/mod.ts";
import WebSocket from "ws";
import { clusterWithClient } from "../_helpers/cluster.ts";

describe("store and retrieve through broker, encryptor and storage processes", () => {
  const suite = clusterWithClient();

  for (const [name, payload] of [
    ["an empty payload", new Uint8Array()],
    ["one byte", new Uint8Array([0xff])],
    ["1 MiB of random bytes", new Uint8Array(randomBytes(1024 * 1024))],
  ] as const) {
    it(`round-trips ${name}`, async () => {
      const id = randomBytes(16);
      const key = await suite.client.store(id, payload);
      assert.equal(key.length, 32);
      assert.deepEqual(await suite.client.retrieve(id, key), payload);
    });
  }

  it("round-trips arbitrary binary ids, from empty to 1 KiB", async () => {
    const ids = [new Uint8Array(), new Uint8Array([0]), new Uint8Array(256).map((_, i) => i), new Uint8Array(randomBytes(1024))];
    for (const id of ids) {
      const payload = randomBytes(100);
      const key = await suite.client.store(id, payload);
      assert.deepEqual(await suite.client.retrieve(id, key), new Uint8Array(payload));
    }
  });

  it("takes strings as UTF-8 for ids and payloads", async () => {
    const key = await suite.client.store("clé ✓", "texte ✓");
    assert.equal(new TextDecoder().decode(await suite.client.retrieve(new TextEncoder().encode("clé ✓"), key)), "texte ✓");
  });

  it("gives two keys for the same id stored twice, each retrieving its own payload", async () => {
    const id = randomBytes(16);
    const first = await suite.client.store(id, "first");
    const second = await suite.client.store(id, "second");
    assert.notDeepEqual(first, second);
    assert.equal(new TextDecoder().decode(await suite.client.retrieve(id, first)), "first");
    assert.equal(new TextDecoder().decode(await suite.client.retrieve(id, second)), "second");
  });

  it("answers a wrong key and an unknown id with the same NOT_FOUND", async () => {
    const id = randomBytes(16);
    const key = await suite.client.store(id, "payload");
    const wrongKey = await suite.client.retrieve(id, randomBytes(32)).catch((error) => error);
    const unknownId = await suite.client.retrieve(randomBytes(16), key).catch((error) => error);
    for (const error of [wrongKey, unknownId]) {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.code, "NOT_FOUND");
    }
    assert.equal(wrongKey.message, unknownId.message);
  });

  it("deletes a record, after which it is NOT_FOUND, and a second delete is NOT_FOUND", async () => {
    const id = randomBytes(16);
    const key = await suite.client.store(id, "to be deleted");
    await suite.client.delete(id, key);
    await assert.rejects(suite.client.retrieve(id, key), NotFoundError);
    await assert.rejects(suite.client.delete(id, key), NotFoundError);
  });

  it("answers a key of the wrong length with BAD_REQUEST, from the client and from the service", async () => {
    await assert.rejects(suite.client.retrieve("id", new Uint8Array(31)), (error: unknown) => {
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.code, "BAD_REQUEST");
      return true;
    });
    // Past the client's own check, straight to the encryptor.
    const raw = await Connection.open((url, protocol) => new WebSocket(url, protocol) as never, suite.cluster.url);
    try {
      for (const key of [new Uint8Array(31), new Uint8Array(33), "not bytes"]) {
        await assert.rejects(raw.request("encryptor", "retrieve", { id: new Uint8Array([1]), key }), (error: unknown) => {
          assert.ok(error instanceof BadRequestError);
          assert.match(error.message, /"key"/);
          return true;
        });
      }
      await assert.rejects(raw.request("encryptor", "store", { id: "text", payload: new Uint8Array() }), BadRequestError);
      await assert.rejects(raw.request("encryptor", "nope", {}), BadRequestError);
    } finally {
      raw.close();
    }
    // The service still answers well-formed requests.
    const key = await suite.client.store("after bad requests", "ok");
    assert.equal(new TextDecoder().decode(await suite.client.retrieve("after bad requests", key)), "ok");
  });
});

describe("limits set once for every part", () => {
  const maxFrame = 32 * 1024 * 1024;
  // As the launcher hands its settings to every part: the broker, storage and the encryptor all read these.
  const suite = clusterWithClient({ cluster: { env: { STRONGROOM_MAX_FRAME: String(maxFrame), STRONGROOM_MAX_ID: "2048" } } });

  it("stores and retrieves a payload over the default 16 MiB when the frame limit allows it", async () => {
    assert.equal(suite.client.maxPayload, maxFrame - 3072 - 2048);
    const payload = new Uint8Array(randomBytes(20 * 1024 * 1024));
    const key = await suite.client.store("large", payload);
    assert.deepEqual(await suite.client.retrieve("large", key), payload);
    const batch = await suite.client.retrieveMany([{ id: "large", key }]);
    assert.deepEqual(batch, [{ ok: true, payload }]);
  });

  it("takes ids up to the configured limit, and refuses longer ones with TOO_LARGE", async () => {
    const id = new Uint8Array(randomBytes(2048));
    const key = await suite.client.store(id, "long id");
    assert.equal(new TextDecoder().decode(await suite.client.retrieve(id, key)), "long id");
    // Past the client's own check, so that the encryptor's limit answers.
    const raw = await Connection.open((url, protocol) => new WebSocket(url, protocol) as never, suite.cluster.url);
    try {
      await assert.rejects(raw.request("encryptor", "store", { id: new Uint8Array(2049), payload: new Uint8Array(1) }), { code: "TOO_LARGE" });
    } finally {
      raw.close();
    }
  });
});
