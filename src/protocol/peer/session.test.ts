import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Broker } from "../../broker/mod.ts";
import { eventually } from "../../../test/_helpers/eventually.ts";
import { wsFactory } from "../../../test/_helpers/sockets.ts";
import { FAST_BACKOFF as FAST, Stack } from "../../../test/_helpers/stack.ts";
import { Session, type SessionEvent } from "./session.ts";

describe("Session", () => {
  const stack = new Stack("session test actor secret");
  afterEach(() => stack.stop());
  const broker = (port = 0): Promise<Broker> => stack.broker({ port, publicRoles: ["echo"] });
  const echo = (url: string) => stack.actor(url, "echo", { handlers: { echo: ({ body }) => body, hang: () => new Promise(() => {}) } });

  it("connects again after the broker comes back; calls made meanwhile wait for it and are sent", async () => {
    const first = await broker();
    await echo(first.url);
    const events: SessionEvent[] = [];
    const session = await Session.open(wsFactory, first.url, { backoff: FAST, onEvent: (e) => events.push(e) });
    stack.defer(() => session.close());
    assert.equal(await session.request("echo", "echo", "before"), "before");

    const inFlight = session.request("echo", "hang", null, { timeout: 60_000 }).catch((error: unknown) => error);
    await first.close();
    assert.equal(((await inFlight) as { code: string }).code, "UNAVAILABLE", "in flight when it dropped: may or may not have run");
    assert.equal(session.connected, false);
    const waiting = session.request("$broker", "stats", null, { timeout: 60_000 });
    await eventually(() => events.some((e) => e.type === "reconnect-failed"));

    const second = await broker(first.port);
    assert.equal(((await waiting) as { uptime: number }).uptime, 0, "answered by the new broker");
    assert.equal(session.connected, true);
    // The actor registered again too.
    await eventually(() => session.request("echo", "echo", "after"), 10_000);
    assert.equal(second.url, first.url);
    assert.deepEqual(events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]), ["connected", "disconnected", "reconnect-failed", "connected"]);
    const last = events.at(-1)!;
    assert.ok(last.type === "connected" && last.attempt >= 2, "counts its attempts");
  });

  it("fails a call that waits for a connection UNAVAILABLE at its deadline, and CANCELLED when aborted", async () => {
    const first = await broker();
    const session = await Session.open(wsFactory, first.url, { backoff: FAST });
    stack.defer(() => session.close());
    await first.close();
    await eventually(() => !session.connected);
    await assert.rejects(session.request("echo", "echo", 1, { timeout: 150 }), (error: unknown) => {
      assert.equal((error as { code: string }).code, "UNAVAILABLE");
      assert.match((error as Error).message, /no connection to the broker within its deadline/);
      return true;
    });
    const controller = new AbortController();
    const aborted = session.request("echo", "echo", 1, { timeout: 60_000, signal: controller.signal });
    controller.abort();
    await assert.rejects(aborted, { code: "CANCELLED" });
    const closing = session.request("echo", "echo", 1, { timeout: 60_000 });
    session.close();
    await assert.rejects(closing, { code: "UNAVAILABLE", message: "Cannot send request: the session was closed", retryable: false });
    await assert.rejects(session.request("echo", "echo", 1), { code: "UNAVAILABLE", message: "Cannot send request: the session is closed", retryable: false });
  });

  it("fails a request in flight at close() UNAVAILABLE and not retryable: it cannot succeed on this session", async () => {
    const first = await broker();
    await echo(first.url);
    const session = await Session.open(wsFactory, first.url, { backoff: FAST });
    stack.defer(() => session.close());
    const inFlight = session.request("echo", "hang", null, { timeout: 60_000 });
    assert.equal(session.connection.inFlight, 1, "sent");
    session.close();
    await assert.rejects(inFlight, { code: "UNAVAILABLE", message: /^Connection to the broker closed/, retryable: false });
  });

  it("fails calls at once after a drop when it does not reconnect", async () => {
    const first = await broker();
    const events: SessionEvent[] = [];
    const session = await Session.open(wsFactory, first.url, { reconnect: false, onEvent: (e) => events.push(e) });
    await first.close();
    await eventually(() => session.closed);
    await assert.rejects(session.request("echo", "echo", 1, { timeout: 60_000 }), { code: "UNAVAILABLE", retryable: false });
    assert.deepEqual(events.map((e) => e.type), ["connected", "disconnected", "closed"]);
  });

  it("does not retry the first connection: an unreachable broker is an error at once", async () => {
    const first = await broker();
    await first.close();
    await assert.rejects(Session.open(wsFactory, first.url), { code: "UNAVAILABLE" });
  });
});
