import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { startActor, type Actor } from "../actors/runtime/mod.ts";
import { Connection, type SocketFactory } from "../protocol/mod.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { rawPeer } from "../../test/_helpers/raw-peer.ts";
import { type Broker, startBroker } from "./mod.ts";

const SECRET = "test actor secret";
const socketFactory: SocketFactory = (url, protocol) => new WebSocket(url, protocol) as never;

describe("broker", () => {
  let broker: Broker;
  let echo: Actor;

  before(async () => {
    broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["encryptor", "echo", "slow", "dies"] });
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
    dying.connection.close(1001, "going away");
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
      [new Uint8Array([0xff, 0xfe, 0x00]), 1002, /not valid CBOR/],
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

  it("answers a request without `to` with BAD_REQUEST under its id and keeps the connection", async () => {
    const peer = await rawPeer(broker.url);
    peer.send({ t: "req", id: 9, op: "echo", body: null });
    const answer = await peer.next();
    assert.equal(answer.t === "err" && answer.code, "BAD_REQUEST");
    assert.equal(answer.t === "err" && answer.id, 9);
    assert.match(answer.t === "err" ? answer.message : "", /"to"/);
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
    const small = await startBroker({ port: 0, actorSecret: SECRET, maxFrame: 1000, helloTimeout: 100 });
    try {
      const text = await rawPeer(small.url);
      text.socket.send("hello");
      assert.equal((await text.closed).code, 1003);

      const big = await rawPeer(small.url);
      big.send({ t: "req", id: 1, to: "echo", op: "echo", body: new Uint8Array(2000) });
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
});
