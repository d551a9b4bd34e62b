import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { eventually } from "../../../test/_helpers/eventually.ts";
import { startStandIn, welcomeFrame } from "../../../test/_helpers/fake-broker.ts";
import { wsFactory } from "../../../test/_helpers/sockets.ts";
import { Stack } from "../../../test/_helpers/stack.ts";
import { selfSignedCertificate } from "../../../test/_helpers/tls.ts";
import { frame } from "../../../test/_helpers/frames.ts";
import { type CloseInfo, Connection } from "./connection.ts";
import type { SocketLike } from "./socket.ts";
import { MAX_TTL_MS } from "../wire/mod.ts";

describe("Connection", () => {
  const stack = new Stack("connection test actor secret");
  afterEach(() => stack.stop());

  it("says why the socket could not connect: a certificate it does not trust", async () => {
    const tls = selfSignedCertificate();
    stack.defer(() => tls.remove());
    const broker = await stack.broker({ tls: { cert: tls.cert, key: tls.key } });
    assert.match(broker.url, /^wss:/);
    await assert.rejects(Connection.open(wsFactory, broker.url), (error: Error & { code?: string }) => {
      assert.equal(error.code, "UNAVAILABLE");
      assert.match(error.message, /^Cannot connect to "wss:\/\/[^"]+": connection closed \(\d+\): .*certificate/i);
      return true;
    });
  });

  it("sends a budget longer than a request can carry, Infinity included, as the longest ttl the broker takes", async () => {
    const { url } = await stack.broker({ publicRoles: ["echo"] });
    // Answers with the budget it was given, as the actor runtime read it off the ttl.
    await stack.actor(url, "echo", { handlers: { budget: ({ deadline }) => deadline - performance.now() } });
    const connection = await Connection.open(wsFactory, url);
    stack.defer(() => connection.close());
    for (const options of [{ timeout: Infinity }, { timeout: 30 * 86_400_000 }, { timeout: MAX_TTL_MS + 1 }, { deadline: Infinity }]) {
      const budget = (await connection.request("echo", "budget", null, options)) as number;
      assert.ok(budget <= MAX_TTL_MS && budget > MAX_TTL_MS - 60_000, `${JSON.stringify(options)} arrived as ${budget} ms`);
    }
  });

  it("resolves close() once the socket has closed, not when it was asked to", async () => {
    const { url } = await stack.broker();
    let socket: SocketLike | undefined;
    const connection = await Connection.open((u, p) => (socket = wsFactory(u, p)), url);
    const closing = connection.close();
    assert.equal(connection.closed, true, "the connection counts as closed at once");
    assert.notEqual(socket!.readyState, 3, "the socket is still closing");
    await closing;
    assert.equal(socket!.readyState, 3, "the socket has closed");
  });

  it("cuts a long close reason of its own to what a close frame holds, without throwing", async () => {
    const { url } = await stack.broker();
    let local: CloseInfo | undefined;
    const connection = await Connection.open(wsFactory, url, { onClose: (info) => (local = info) });
    connection.close(1000, "€".repeat(100));
    assert.deepEqual(local, { code: 1000, reason: "€".repeat(41) });
  });

  it("closes with the start of the parse error in any script that fits in a close reason", async () => {
    let seen: CloseInfo | undefined;
    const standIn = await startStandIn((socket, message) => {
      if (message.t !== "hello") return;
      socket.on("close", (code, reason) => (seen = { code, reason: reason.toString() }));
      socket.send(welcomeFrame("c1"));
      socket.send(frame({ t: "€".repeat(64), id: 1 }));
    });
    stack.defer(() => standIn.close());
    let local: CloseInfo | undefined;
    await Connection.open(wsFactory, standIn.url, { onClose: (info) => (local = info) });
    await eventually(() => local !== undefined && seen !== undefined);
    // "Unknown message type" and 64 € is 215 bytes of UTF-8: as many € as fit in 123.
    const expected = { code: 1002, reason: `Unknown message type "${"€".repeat(33)}` };
    assert.deepEqual(local, expected);
    assert.deepEqual(seen, expected);
  });
});
