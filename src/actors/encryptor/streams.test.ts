import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { connect, type StrongroomClient } from "../../client/mod.ts";
import { NotFoundError, type StrongroomError } from "../../protocol/wire/mod.ts";
import { eventually } from "../../../test/_helpers/eventually.ts";
import { wsFactory } from "../../../test/_helpers/sockets.ts";
import { Stack } from "../../../test/_helpers/stack.ts";
import { type Handler, streamAnswer } from "../runtime/mod.ts";
import { encryptorHandlers } from "./encryptor.ts";

const KIB = 1024;
const MIB = 1024 * 1024;

/** A storage role kept in a map: the ops and answers the encryptor relies on, nothing durable. */
function mapStorage() {
  const values = new Map<string, Uint8Array[]>();
  const events: string[] = [];
  const hex = (locator: unknown) => Buffer.from(locator as Uint8Array).toString("hex");
  const length = (pieces: Uint8Array[]) => pieces.reduce((n, p) => n + p.length, 0);
  const handlers: Record<string, Handler> = {
    async putStream({ body, upload }) {
      const pieces: Uint8Array[] = [];
      try {
        for await (const piece of upload!) pieces.push(Uint8Array.from(piece));
      } catch (error) {
        events.push(`aborted:${(error as StrongroomError).code}`);
        throw error;
      }
      // Visible only once the whole value is in.
      values.set(hex((body as { locator: unknown }).locator), pieces);
      events.push("committed");
      return {};
    },
    put({ body }) {
      const { locator, value } = body as { locator: Uint8Array; value: Uint8Array };
      values.set(hex(locator), [Uint8Array.from(value)]);
      return {};
    },
    get({ body }) {
      const pieces = values.get(hex((body as { locator: unknown }).locator));
      if (!pieces) throw missing();
      return pieces.length === 1 && pieces[0]![0] === 1 ? { value: pieces[0] } : { streamed: length(pieces) };
    },
    getStream({ body }) {
      const pieces = values.get(hex((body as { locator: unknown }).locator));
      if (!pieces) throw missing();
      return streamAnswer({ length: length(pieces) }, (async function* () {
        try {
          yield* pieces;
        } finally {
          events.push("read-closed");
        }
      })());
    },
  };
  return { handlers, values, events };
}

// The storage actor's miss, as the real one answers it.
function missing(): Error {
  return new NotFoundError("No value under this locator");
}

async function* source(total: number, pieceSize: number, seed = 1): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < total; at += pieceSize) yield new Uint8Array(Math.min(pieceSize, total - at)).fill((at / pieceSize + seed) % 251);
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(Uint8Array.from(value));
  }
}

async function expected(total: number, pieceSize: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source(total, pieceSize)) parts.push(part);
  return Buffer.concat(parts);
}

describe("the encryptor's streams", () => {
  const stack = new Stack("encryptor streams test secret");
  afterEach(() => stack.stop());

  async function cluster(maxFrame = 256 * KIB) {
    const broker = await stack.broker({ maxFrame, maxBuffered: 4 * maxFrame });
    const storage = mapStorage();
    await stack.actor(broker.url, "storage", { handlers: storage.handlers, concurrency: 64 });
    await stack.actor(broker.url, "encryptor", { handlers: encryptorHandlers({ maxPayload: maxFrame - 8 * KIB }), concurrency: 64 });
    const client: StrongroomClient = await connect(broker.url, { socketFactory: wsFactory, timeout: 20_000 });
    stack.defer(() => client.close());
    return { client, storage };
  }

  it("stores a payload many times the frame limit and gives it back, as a stream and whole when it fits", async () => {
    const { client, storage } = await cluster();
    const key = await client.storeStream("big", source(5 * MIB + 123, 100 * KIB));
    const stored = [...storage.values.values()][0]!;
    assert.ok(stored.length > 80, "the value went to storage in chunks");
    const stream = await client.retrieveStream("big", key);
    assert.equal(stream.size, 5 * MIB + 123);
    assert.deepEqual(await bytesOf(stream), await expected(5 * MIB + 123, 100 * KIB));
    // Too large for one answer: retrieve() says which call reads it.
    await assert.rejects(client.retrieve("big", key), (error: unknown) => {
      assert.equal((error as StrongroomError).code, "TOO_LARGE");
      assert.match((error as Error).message, /retrieveStream/);
      return true;
    });
    // A small streamed record reads whole too, and a record stored whole reads as a stream.
    const smallKey = await client.storeStream("small", source(10 * KIB, 3 * KIB));
    assert.deepEqual(Buffer.from(await client.retrieve("small", smallKey)), await expected(10 * KIB, 3 * KIB));
    const wholeKey = await client.store("whole", new Uint8Array(200 * KIB).fill(7));
    const whole = await client.retrieveStream("whole", wholeKey);
    assert.equal(whole.size, 200 * KIB);
    assert.deepEqual(await bytesOf(whole), Buffer.from(new Uint8Array(200 * KIB).fill(7)));
    // An empty stream is a record too.
    const emptyKey = await client.storeStream("empty", source(0, 1));
    assert.equal((await client.retrieve("empty", emptyKey)).length, 0);
    assert.equal((await bytesOf(await client.retrieveStream("empty", emptyKey))).length, 0);
  });

  it("answers NOT_FOUND for a wrong key or an unknown id, as for a record stored whole", async () => {
    const { client } = await cluster();
    const key = await client.storeStream("known", source(10, 10));
    for (const attempt of [() => client.retrieveStream("known", randomBytes(32)), () => client.retrieveStream("unknown", key)]) {
      await assert.rejects(attempt(), (error: unknown) => (error as StrongroomError).code === "NOT_FOUND");
    }
  });

  it("fails the stream with STORAGE_FAILED, never a short or reordered result, when storage hands back changed chunks", async () => {
    const { client, storage } = await cluster();
    const key = await client.storeStream("tampered", source(130 * KIB, 64 * KIB));
    const locator = [...storage.values.keys()][0]!;
    const original = storage.values.get(locator)!;
    const tampered: Record<string, Uint8Array[]> = {
      "a byte flipped": original.map((p, i) => (i === 3 ? Uint8Array.from(p, (b, j) => (j === 10 ? b ^ 1 : b)) : p)),
      "two chunks swapped": [original[0]!, original[2]!, original[1]!, ...original.slice(3)],
      "a chunk dropped": [...original.slice(0, 2), ...original.slice(3)],
      "a chunk repeated": [...original.slice(0, 3), original[2]!, ...original.slice(3)],
      "cut after a chunk": original.slice(0, -1),
    };
    for (const [name, pieces] of Object.entries(tampered)) {
      storage.values.set(locator, pieces);
      const read = async () => bytesOf(await client.retrieveStream("tampered", key));
      await assert.rejects(read(), (error: unknown) => {
        assert.equal((error as StrongroomError).code, "STORAGE_FAILED", name);
        return true;
      }, name);
      await assert.rejects(client.retrieve("tampered", key), (error: unknown) => (error as StrongroomError).code === "STORAGE_FAILED", name);
    }
  });

  it("leaves nothing visible when the caller aborts an upload, and ends storage's read when the caller cancels a download", async () => {
    const { client, storage } = await cluster();
    const controller = new AbortController();
    async function* abortsHalfway() {
      yield* source(2 * MIB, 64 * KIB);
      controller.abort();
      await new Promise(() => {});
    }
    await assert.rejects(client.storeStream("aborted", abortsHalfway(), { signal: controller.signal }), (error: unknown) => {
      assert.equal((error as StrongroomError).code, "CANCELLED");
      return true;
    });
    await eventually(() => storage.events.some((e) => e.startsWith("aborted:")));
    assert.equal(storage.values.size, 0);

    const key = await client.storeStream("long", source(8 * MIB, 64 * KIB));
    const stream = await client.retrieveStream("long", key);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    await eventually(() => storage.events.includes("read-closed"));
  });

  it("hashes the same as what was sent, for a source of many small pieces", async () => {
    const { client } = await cluster();
    const pieces = Array.from({ length: 3000 }, (_, i) => new Uint8Array(100 + (i % 7)).fill(i % 256));
    const key = await client.storeStream("pieces", (async function* () {
      yield* pieces;
    })());
    const digest = (parts: Iterable<Uint8Array>) => createHash("sha256").update(Buffer.concat([...parts])).digest("hex");
    assert.equal(digest([await bytesOf(await client.retrieveStream("pieces", key))]), digest(pieces));
  });
});
