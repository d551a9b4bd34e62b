import assert from "node:assert/strict";
import { get as httpsGet } from "node:https";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { type Actor, type Handler, startActor } from "../actors/runtime/mod.ts";
import { Connection, Session, type SessionEvent, type SocketFactory } from "../protocol/peer/mod.ts";
import { MAX_ENVELOPE, MAX_HELLO_FRAME } from "../protocol/wire/mod.ts";
import { captureLogger, type LogLine } from "../../test/_helpers/capture-logger.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { type RawPeer, rawPeer } from "../../test/_helpers/raw-peer.ts";
import { selfSignedCertificate } from "../../test/_helpers/tls.ts";
import { type Broker, startBroker } from "./mod.ts";

const SECRET = "test actor secret";
const socketFactory: SocketFactory = (url, protocol) => new WebSocket(url, protocol) as never;

describe("broker", () => {
  let broker: Broker;
  let echo: Actor;

  before(async () => {
    broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["encryptor", "echo", "slow", "dies"], shutdownTimeout: 200, warmup: 0 });
    echo = await startActor({
      url: broker.url,
      role: "echo",
      secret: SECRET,
      handlers: {
        echo: ({ body, tenant }) => ({ body, tenant }),
        wait: ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
      },
    });
  });
  after(async () => {
    echo?.close();
    await broker?.close();
  });

  it("routes a request to an actor of the role and the answer back", async () => {
    const client = await Connection.open(socketFactory, broker.url);
    assert.deepEqual(await client.request("echo", "echo", { a: 1 }), { body: { a: 1 }, tenant: "" });
    client.close();
  });

  it("answers each caller under its own correlation id when two callers use the same ids", async () => {
    const a = await rawPeer(broker.url);
    const b = await rawPeer(broker.url);
    a.send({ t: "req", id: 1, to: "echo", op: "echo", body: "from a" });
    b.send({ t: "req", id: 1, to: "echo", op: "echo", body: "from b" });
    assert.deepEqual(await a.next(), { t: "res", id: 1, body: { body: "from a", tenant: "" } });
    assert.deepEqual(await b.next(), { t: "res", id: 1, body: { body: "from b", tenant: "" } });
    a.close();
    b.close();
  });

  it("answers NO_ROUTE at once when no actor has the role", async () => {
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: "x", to: "encryptor", op: "store", body: {} });
    const answer = await peer.next();
    assert.equal(answer.t, "err");
    assert.equal(answer.t === "err" && answer.code, "NO_ROUTE");
    assert.equal(answer.t === "err" && answer.retryable, true);
    peer.close();
  });

  it("answers TIMEOUT when the time budget runs out, and cancels at the actor", async () => {
    const client = await Connection.open(socketFactory, broker.url);
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 5, to: "echo", op: "wait", body: null, ttl: 50 });
    const answer = await peer.next();
    assert.equal(answer.t === "err" && answer.code, "TIMEOUT");
    await eventually(() => echo.active === 0);
    await assert.rejects(client.request("echo", "wait", null, { timeout: 50 }), { code: "TIMEOUT" });
    client.close();
    peer.close();
  });

  it("answers UNAVAILABLE for every request in flight to an actor whose connection drops", async () => {
    const dying = await startActor({
      url: broker.url,
      role: "dies",
      secret: SECRET,
      handlers: { hang: () => new Promise(() => {}) },
    });
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 1, to: "dies", op: "hang", body: null });
    peer.send({ t: "req", id: 2, to: "dies", op: "hang", body: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    dying.close();
    const answers = [await peer.next(), await peer.next()];
    assert.deepEqual(answers.map((a) => a.t === "err" && [a.id, a.code, a.retryable]).sort(), [
      [1, "UNAVAILABLE", true],
      [2, "UNAVAILABLE", true],
    ]);
    peer.send({ t: "req", id: 3, to: "dies", op: "hang", body: null });
    assert.equal(((await peer.next()) as { code: string }).code, "NO_ROUTE");
    peer.close();
  });

  it("refuses a role to a peer without the actor secret (FORBIDDEN) and closes it", async () => {
    for (const hello of [{ role: "storage" }, { role: "storage", token: "wrong" }, { role: "$broker", token: SECRET }]) {
      const peer = await rawPeer(broker.url, null);
      peer.send({ t: "hello", ...hello });
      const answer = await peer.next();
      assert.equal(answer.t === "err" && answer.code, "FORBIDDEN");
      assert.equal((await peer.closed).code, 1008);
    }
  });

  it("refuses a client's call to storage with FORBIDDEN", async () => {
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 1, to: "storage", op: "get", body: {} });
    const answer = await peer.next();
    assert.equal(answer.t === "err" && answer.code, "FORBIDDEN");
    peer.close();
  });

  it("closes with a reason on malformed frames and keeps serving other clients", async () => {
    const client = await Connection.open(socketFactory, broker.url);
    const cases: [unknown, number, RegExp][] = [
      [new Uint8Array([0xff, 0xfe, 0x00]), 1002, /not a CBOR map/],
      [new Uint8Array([0xa1, 0x61, 0x74]), 1002, /not valid CBOR: it ends inside a message/],
      [{ t: "cancel", id: 1, nested: { a: 1 } }, 1002, /"nested": expected a plain value/],
      [[1, 2, 3], 1002, /not a CBOR map/],
      [{ t: "bogus" }, 1002, /Unknown message type/],
      [{ t: "res", id: 1, body: null }, 1002, /Unexpected "res" from a client/],
      [{ t: "hello" }, 1002, /Unexpected "hello"/],
    ];
    for (const [frame, code, reason] of cases) {
      const peer = await rawPeer(broker.url);
      peer.send(frame);
      const closed = await peer.closed;
      assert.equal(closed.code, code);
      assert.match(closed.reason, reason);
      assert.deepEqual(await client.request("echo", "echo", 1), { body: 1, tenant: "" });
    }
    client.close();
  });

  it("closes with the start of a message in any script that fits in a close reason, and logs no failure", async () => {
    const lines: LogLine[] = [];
    const logged = await startBroker({ port: 0, actorSecret: SECRET, shutdownTimeout: 100, logger: captureLogger(lines) });
    try {
      for (const hello of [null, {}]) {
        const peer = await rawPeer(logged.url, hello);
        peer.send({ t: "€".repeat(64) });
        // "Unknown message type" and 64 € is 215 bytes of UTF-8: as many € as fit in 123.
        assert.deepEqual(await peer.closed, { code: 1002, reason: `Unknown message type "${"€".repeat(33)}` });
      }
      assert.deepEqual(lines.filter((line) => line.level === "error"), []);
    } finally {
      await logged.close();
    }
  });

  it("answers a request without `to` with BAD_REQUEST under its id and keeps the connection", async () => {
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 9, op: "echo", body: null });
    const answer = await peer.next();
    assert.equal(answer.t === "err" && answer.code, "BAD_REQUEST");
    assert.equal(answer.t === "err" && answer.id, 9);
    assert.match(answer.message ?? "", /"to"/);
    peer.send({ t: "req", id: 10, to: "echo", op: "echo", body: "still here" });
    assert.deepEqual(await peer.next(), { t: "res", id: 10, body: { body: "still here", tenant: "" } });
    peer.close();
  });

  it("refuses a duplicate correlation id in flight", async () => {
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 1, to: "echo", op: "wait", body: null, ttl: 200 });
    peer.send({ t: "req", id: 1, to: "echo", op: "echo", body: null });
    const answer = await peer.next();
    assert.equal(answer.t === "err" && answer.code, "BAD_REQUEST");
    assert.equal((await peer.next()).t, "err"); // the first one's TIMEOUT
    peer.close();
  });

  it("closes text frames (1003), frames over the limit (1009), peers without the subprotocol or a hello", async () => {
    const small = await startBroker({ port: 0, actorSecret: SECRET, maxFrame: 5000, helloTimeout: 100 });
    try {
      const text = await rawPeer(small.url);
      text.socket.send("hello");
      assert.equal((await text.closed).code, 1003);

      const big = await rawPeer(small.url);
      big.send({ t: "req", id: 1, to: "echo", op: "echo", body: new Uint8Array(6000) });
      assert.equal((await big.closed).code, 1009);

      const silent = await rawPeer(small.url, null);
      assert.deepEqual(await silent.closed, { code: 1008, reason: "No hello in time" });

      const socket = new WebSocket(small.url);
      const closed = await new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
      assert.equal(closed, 1002);
    } finally {
      await small.close();
    }
  });

  it("decodes at most MAX_HELLO_FRAME bytes before a hello and envelopes of at most MAX_ENVELOPE after it", async () => {
    // A hello within the limit is welcomed, with fields the broker does not know.
    const welcomed = await rawPeer(broker.url, { name: "padded", pad: "x".repeat(MAX_HELLO_FRAME - 100) });
    welcomed.close();
    // A larger first frame, valid or not, closes the connection unread.
    for (const hello of [{ t: "hello", pad: "x".repeat(MAX_HELLO_FRAME) }, { t: "hello", junk: new Array(1 << 20).fill(0) }]) {
      const peer = await rawPeer(broker.url, null);
      peer.send(hello);
      const { code, reason } = await closedUnanswered(peer);
      assert.equal(code, 1009);
      assert.match(reason, /^Frame of \d+ bytes is over the limit of 8192$/);
    }

    const peer = await rawPeer(broker.url);
    // A large body is passed on, not decoded, so it does not count.
    peer.send({ t: "req", id: 1, to: "echo", op: "echo", body: "x".repeat(100_000) });
    const answer = await peer.next();
    assert.equal(answer.t === "res" && (answer.body as { body: string }).body.length, 100_000);
    // A large field besides the body is refused, before it is decoded.
    peer.send({ t: "req", id: 2, to: "echo", op: "echo", junk: "x".repeat(MAX_ENVELOPE), body: null });
    const { code, reason } = await closedUnanswered(peer);
    assert.equal(code, 1009);
    assert.match(reason, /^Envelope of at least \d+ bytes is over the limit of 8192$/);
  });

  it("advertises its frame limit; a caller answers a request over it TOO_LARGE without sending it", async () => {
    const small = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], maxFrame: 8192, shutdownTimeout: 100, warmup: 0 });
    const actor = await startActor({ url: small.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers() });
    const client = await Connection.open(socketFactory, small.url);
    try {
      assert.deepEqual([client.welcome.maxFrame, client.welcome.maxPayload], [8192, 4096]);
      await assert.rejects(client.request("echo", "echo", new Uint8Array(9000)), (error: unknown) => {
        assert.equal((error as { code: string }).code, "TOO_LARGE");
        assert.match((error as Error).message, /over the broker's frame limit of 8192/);
        return true;
      });
      assert.equal(client.closed, false);
      assert.equal(((await client.request("echo", "echo", new Uint8Array(100))) as Uint8Array).byteLength, 100);
    } finally {
      client.close();
      actor.close();
      await small.close();
    }
  });

  it("answers OVERLOADED past the most requests in flight on one connection", async () => {
    const small = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], maxInFlight: 3, shutdownTimeout: 100 });
    const waiter = await startActor({ url: small.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers() });
    try {
      const peer = await rawPeer(small.url);
      for (let id = 1; id <= 4; id++) peer.send({ t: "req", id, to: "echo", op: "wait", body: null, ttl: 60_000 });
      const answer = await peer.next();
      assert.deepEqual([answer.t, answer.t === "err" && answer.id, answer.t === "err" && answer.code], ["err", 4, "OVERLOADED"]);
      peer.close();
    } finally {
      waiter.close();
      await small.close();
    }
  });

  it("refuses connections past the limit with HTTP 503, and takes them again once one closes", async () => {
    const small = await startBroker({ port: 0, actorSecret: SECRET, maxConnections: 2, shutdownTimeout: 100 });
    try {
      const first = await Connection.open(socketFactory, small.url);
      const second = await Connection.open(socketFactory, small.url);
      await assert.rejects(Connection.open(socketFactory, small.url), (error: unknown) => {
        assert.equal((error as { code: string }).code, "UNAVAILABLE");
        return true;
      });
      first.close();
      await eventually(async () => {
        const third = await Connection.open(socketFactory, small.url);
        third.close();
      });
      second.close();
    } finally {
      await small.close();
    }
  });
});

function echoHandlers(gate?: Promise<void>): Record<string, Handler> {
  return {
    echo: ({ body }) => body,
    wait: ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    slow: async ({ call }) => {
      await gate;
      return call("echo", "echo", "nested during shutdown");
    },
  };
}

/** How a raw peer's connection closed, or what it was sent instead. */
function closedUnanswered(peer: RawPeer): Promise<{ code: number; reason: string }> {
  return Promise.race([peer.closed, peer.next().then((message) => ({ code: 0, reason: `Answered with "${message.t}"` }))]);
}

describe("broker shutdown", () => {
  it("stops accepting, lets requests in flight finish (nested calls included), then closes with 1001", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], shutdownTimeout: 30_000 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const actor = await startActor({ url: broker.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers(released) });
    const events: SessionEvent[] = [];
    const session = await Session.open(socketFactory, broker.url, { onEvent: (e) => events.push(e) });
    const inFlight = session.request("echo", "slow", null, { timeout: 60_000 });
    await eventually(() => actor.active === 1);

    const closed = broker.close();
    await assert.rejects(session.request("echo", "echo", "new", { timeout: 60_000 }), (error: unknown) => {
      assert.equal((error as { code: string }).code, "UNAVAILABLE");
      assert.match((error as Error).message, /shutting down/);
      return true;
    });
    await assert.rejects(Connection.open(socketFactory, broker.url), { code: "UNAVAILABLE" });
    release();
    assert.equal(await inFlight, "nested during shutdown");
    await closed;
    await eventually(() => events.some((e) => e.type === "disconnected"));
    assert.deepEqual(events.find((e) => e.type === "disconnected"), { type: "disconnected", code: 1001, reason: "Broker shutting down", reconnecting: true });
    session.close();
    actor.close();
  });

  it("fails what is still in flight after the grace period with UNAVAILABLE", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], shutdownTimeout: 200 });
    const actor = await startActor({ url: broker.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers() });
    const session = await Session.open(socketFactory, broker.url, { reconnect: false });
    const stuck = session.request("echo", "wait", null, { timeout: 60_000 }).catch((error: unknown) => error);
    await eventually(() => actor.active === 1);
    await broker.close();
    await assert.rejects(stuck.then((error) => Promise.reject(error)), (error: unknown) => {
      assert.equal((error as { code: string }).code, "UNAVAILABLE");
      assert.match((error as Error).message, /shut down with the request in flight/);
      return true;
    });
    actor.close();
  });
});

describe("broker over TLS", () => {
  it("speaks wss:// with the certificate and key it is given, and refuses plain ws://", async () => {
    const tls = selfSignedCertificate();
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], tls, shutdownTimeout: 100 });
    const trusting: SocketFactory = (url, protocol) => new WebSocket(url, protocol, { ca: tls.cert }) as never;
    try {
      assert.match(broker.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
      const actor = await startActor({ url: broker.url, role: "echo", secret: SECRET, reconnect: false, socketFactory: trusting, handlers: echoHandlers() });
      const client = await Session.open(trusting, broker.url, { reconnect: false });
      assert.equal(await client.request("echo", "echo", "over tls"), "over tls");
      const health = await new Promise<number>((resolve, reject) =>
        httpsGet(`https://127.0.0.1:${broker.port}/healthz`, { ca: tls.cert }, (res) => resolve(res.statusCode!)).on("error", reject),
      );
      assert.equal(health, 200);
      // Without the certificate the client does not trust the broker; over plain ws:// there is no broker.
      await assert.rejects(Connection.open(socketFactory, broker.url), { code: "UNAVAILABLE" });
      await assert.rejects(Connection.open(socketFactory, broker.url.replace("wss:", "ws:")), { code: "UNAVAILABLE" });
      client.close();
      actor.close();
    } finally {
      await broker.close();
      tls.remove();
    }
  });
});

describe("broker HTTP", () => {
  it("answers GET /healthz and GET /metrics with what the broker routed", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], shutdownTimeout: 100 });
    const actor = await startActor({ url: broker.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers() });
    const client = await Session.open(socketFactory, broker.url, { reconnect: false });
    const http = `http://127.0.0.1:${broker.port}`;
    try {
      for (let i = 0; i < 3; i++) await client.request("echo", "echo", i);
      await assert.rejects(client.request("echo", "wait", null, { timeout: 50 }), { code: "TIMEOUT" });
      await assert.rejects(client.request("storage", "get", null), { code: "FORBIDDEN" });

      const health = await fetch(`${http}/healthz`);
      assert.deepEqual([health.status, await health.text()], [200, "ok\n"]);
      const response = await fetch(`${http}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /^strongroom_requests_total\{role="echo",op="echo",outcome="ok"\} 3$/m);
      // An op never answered ok is not a label of its own, nor is a role nobody registered.
      assert.match(text, /^strongroom_requests_total\{role="echo",op="other",outcome="TIMEOUT"\} 1$/m);
      assert.match(text, /^strongroom_requests_total\{role="other",op="other",outcome="FORBIDDEN"\} 1$/m);
      assert.match(text, /^strongroom_connections\{kind="client"\} 1$/m);
      assert.match(text, /^strongroom_connections\{kind="actor"\} 1$/m);
      assert.match(text, /^strongroom_queue_depth\{role="echo"\} 0$/m);
      assert.match(text, /^strongroom_request_duration_seconds_count\{role="echo"\} 4$/m);
      assert.equal((await fetch(`${http}/nothing`)).status, 404);
    } finally {
      client.close();
      actor.close();
      await broker.close();
    }
  });

  it("counts requests for ops nobody serves as op \"other\", where they cannot take the labels of real ones", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["echo"], shutdownTimeout: 100 });
    const actor = await startActor({ url: broker.url, role: "echo", secret: SECRET, reconnect: false, handlers: echoHandlers() });
    const client = await Session.open(socketFactory, broker.url, { reconnect: false });
    try {
      for (let i = 0; i < 40; i++) {
        await assert.rejects(client.request("echo", `junk${i}`, null), { code: "BAD_REQUEST" });
        await assert.rejects(client.request("$broker", `junk${i}`, null), { code: "BAD_REQUEST" });
      }
      await client.request("echo", "echo", 1);
      await client.request("$broker", "stats", null);
      const text = await (await fetch(`http://127.0.0.1:${broker.port}/metrics`)).text();
      const ops = new Set([...text.matchAll(/^strongroom_requests_total\{role="[^"]+",op="([^"]+)"/gm)].map((m) => m[1]));
      assert.deepEqual([...ops].sort(), ["echo", "other", "stats"]);
      assert.match(text, /^strongroom_requests_total\{role="echo",op="echo",outcome="ok"\} 1$/m);
      assert.match(text, /^strongroom_requests_total\{role="echo",op="other",outcome="BAD_REQUEST"\} 40$/m);
      assert.match(text, /^strongroom_requests_total\{role="\$broker",op="stats",outcome="ok"\} 1$/m);
      assert.match(text, /^strongroom_requests_total\{role="\$broker",op="other",outcome="BAD_REQUEST"\} 40$/m);
    } finally {
      client.close();
      actor.close();
      await broker.close();
    }
  });
});
