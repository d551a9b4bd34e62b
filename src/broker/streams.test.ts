import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { type Handler, streamAnswer } from "../actors/runtime/mod.ts";
import type { Session } from "../protocol/peer/mod.ts";
import { DEFAULT_STREAM_WINDOW, type StatsReport, StrongroomError } from "../protocol/wire/mod.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { frame } from "../../test/_helpers/frames.ts";
import { rawPeer } from "../../test/_helpers/raw-peer.ts";
import { Stack } from "../../test/_helpers/stack.ts";
import type { Broker, BrokerOptions } from "./mod.ts";

const KIB = 1024;

async function* chunks(count: number, size: number, onProduced?: (n: number) => void): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    onProduced?.(i + 1);
    yield new Uint8Array(size).fill(i % 251);
  }
}

function digestOf(parts: Iterable<Uint8Array>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

describe("streams through the broker", () => {
  const stack = new Stack("streams test actor secret");
  afterEach(() => stack.stop());

  const broker = (options: Partial<BrokerOptions> = {}): Promise<Broker> => stack.broker({ publicRoles: ["work"], ...options });
  const actor = (url: string, handlers: Record<string, Handler>) => stack.actor(url, "work", { handlers, concurrency: 8, reconnect: false });
  const client = (url: string): Promise<Session> => stack.session(url, { reconnect: false });

  // Reads every chunk of an upload and answers how many bytes it saw and their digest.
  const sink: Handler = async ({ upload }) => {
    assert.ok(upload);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of upload) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    return { bytes, sha256: hash.digest("hex") };
  };

  it("carries an upload and a download many times larger than the frame limit, in order and whole", async () => {
    const { url } = await broker({ maxFrame: 64 * KIB, maxBuffered: 1024 * KIB });
    const served: Handler = ({ body }) => streamAnswer({ count: body }, chunks(body as number, 32 * KIB));
    await actor(url, { sink, served });
    const session = await client(url);
    const sent = 200;
    const answer = await session.request("work", "sink", null, { upload: chunks(200, 32 * KIB) });
    assert.deepEqual(answer, { bytes: sent * 32 * KIB, sha256: await digest(chunks(200, 32 * KIB)) });

    const { result, chunks: received } = await session.requestStream("work", "served", 300);
    assert.deepEqual(result, { count: 300 });
    const got: Uint8Array[] = [];
    for await (const chunk of received) got.push(Uint8Array.from(chunk));
    assert.equal(got.length, 300);
    assert.equal(digestOf(got), await digest(chunks(300, 32 * KIB)));
    // The stream's slot is free again, at the caller and at the broker.
    await eventually(async () => ((await session.request("$broker", "stats", null)) as StatsReport).inFlight === 0);
  });

  it("sends an empty upload as one empty last chunk, and answers a stream of none", async () => {
    const { url } = await broker();
    await actor(url, { sink, none: () => streamAnswer(null, chunks(0, 0)), plain: () => "not a stream" });
    const session = await client(url);
    assert.deepEqual(await session.request("work", "sink", null, { upload: chunks(0, 0) }), { bytes: 0, sha256: digestOf([]) });
    const none = await session.requestStream("work", "none", null);
    assert.deepEqual(await collect(none.chunks), []);
    // Asked as a stream, a plain answer gives its result and no chunk.
    const plain = await session.requestStream("work", "plain", null);
    assert.equal(plain.result, "not a stream");
    assert.deepEqual(await collect(plain.chunks), []);
  });

  it("stalls a fast writer on a slow reader: the writer runs no more than a few windows ahead", async () => {
    const { url } = await broker();
    let produced = 0;
    await actor(url, { served: () => streamAnswer(null, chunks(500, 4 * KIB, (n) => (produced = n))) });
    const session = await client(url);
    const { chunks: received } = await session.requestStream("work", "served", null);
    let read = 0;
    for (let i = 0; i < 50; i++) {
      await received.read();
      read++;
      // Let everything that could move, move: a writer without flow control would be done by now.
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.ok(produced - read <= 2 * DEFAULT_STREAM_WINDOW + 2, `${produced} produced for ${read} read`);
    }
    for await (const _ of received) read++;
    assert.equal(read, 500);
  });

  it("ends a download the caller cancels: the actor's source is closed and the broker keeps nothing", async () => {
    const { url } = await broker();
    let closed = false;
    async function* endless() {
      try {
        for (;;) yield new Uint8Array(1024);
      } finally {
        closed = true;
      }
    }
    await actor(url, { served: () => streamAnswer(null, endless()) });
    const session = await client(url);
    const answer = await session.requestStream("work", "served", null);
    await answer.chunks.read();
    answer.cancel();
    await assert.rejects(answer.chunks.read(), (error: unknown) => (error as StrongroomError).code === "CANCELLED");
    await eventually(() => closed);
    await eventually(async () => ((await session.request("$broker", "stats", null)) as StatsReport).inFlight === 0);
  });

  it("fails an upload whose caller aborts it, and the actor's reader with it", async () => {
    const { url } = await broker();
    let failure: unknown;
    const reading: Handler = async ({ upload }) => {
      try {
        for await (const _ of upload!) { /* read on */ }
      } catch (error) {
        failure = error;
        throw error;
      }
    };
    await actor(url, { reading });
    const session = await client(url);
    const controller = new AbortController();
    async function* slow() {
      yield new Uint8Array(10);
      controller.abort();
      await new Promise(() => {});
    }
    await assert.rejects(session.request("work", "reading", null, { upload: slow(), signal: controller.signal }), (error: unknown) => {
      assert.equal((error as StrongroomError).code, "CANCELLED");
      return true;
    });
    await eventually(() => failure !== undefined);
    assert.equal((failure as StrongroomError).code, "CANCELLED");
  });

  it("fails the caller's download with UNAVAILABLE when the actor goes away mid-stream", async () => {
    const { url } = await broker();
    let produced = 0;
    const serving = await actor(url, { served: () => streamAnswer(null, chunks(1_000_000, KIB, (n) => (produced = n))) });
    const session = await client(url);
    const { chunks: received } = await session.requestStream("work", "served", null);
    await received.read();
    await eventually(() => produced > 1);
    serving.close();
    await assert.rejects((async () => { for await (const _ of received) { /* drain */ } })(), (error: unknown) => {
      assert.equal((error as StrongroomError).code, "UNAVAILABLE");
      return true;
    });
  });

  it("times a stream out when nothing moves for the idle time, past the request's own budget", async () => {
    const { url } = await broker({ streamIdle: 300 });
    async function* stalls() {
      yield new Uint8Array(1);
      await new Promise(() => {});
    }
    // Each chunk comes within the idle time, and all of them take longer than the request's budget.
    async function* steady() {
      for (let i = 0; i < 8; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        yield new Uint8Array(1);
      }
    }
    await actor(url, { stalls: () => streamAnswer(null, stalls()), steady: () => streamAnswer(null, steady()) });
    const session = await client(url);
    const steadily = await session.requestStream("work", "steady", null, { timeout: 400 });
    assert.equal((await collect(steadily.chunks)).length, 8);
    const stalled = await session.requestStream("work", "stalls", null, { timeout: 5000 });
    await assert.rejects(collect(stalled.chunks), (error: unknown) => {
      assert.equal((error as StrongroomError).code, "TIMEOUT");
      return true;
    });
  });

  it("refuses a chunk sent without credit, and ends that stream only", async () => {
    const { url } = await broker();
    // It never reads its upload, so that it grants its first window only.
    await actor(url, { hold: () => new Promise(() => {}) });
    const peer = await rawPeer(url);
    peer.send(frame({ t: "req", id: 1, to: "work", op: "hold", ttl: 5000, body: null, stream: true }));
    const credit = await peer.next();
    assert.deepEqual([credit.t, credit.id, credit.back], ["credit", 1, true]);
    const n = credit.n as number;
    for (let seq = 0; seq <= n; seq++) peer.send(frame({ t: "data", id: 1, seq, chunk: new Uint8Array(4) }));
    let answer = await peer.next();
    while (answer.t === "credit") answer = await peer.next();
    assert.deepEqual([answer.t, answer.id, answer.code], ["err", 1, "BAD_REQUEST"]);
    assert.match(answer.message ?? "", /no credit/);
    // The connection goes on.
    peer.send(frame({ t: "req", id: 2, to: "$broker", op: "stats", body: null }));
    assert.equal((await peer.next()).t, "res");
    peer.close();
  });
});

async function digest(source: AsyncIterable<Uint8Array>): Promise<string> {
  return digestOf(await collect(source));
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of source) out.push(Uint8Array.from(chunk));
  return out;
}
