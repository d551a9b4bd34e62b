import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Broker } from "../../broker/mod.ts";
import { type Session } from "../../protocol/peer/mod.ts";
import { type ActorsReport, BadRequestError, MAX_ERROR_MESSAGE_LENGTH } from "../../protocol/wire/mod.ts";
import { type DecodedMessage, frame } from "../../../test/_helpers/frames.ts";
import { eventually } from "../../../test/_helpers/eventually.ts";
import { startStandIn, welcomeFrame } from "../../../test/_helpers/fake-broker.ts";
import { Stack } from "../../../test/_helpers/stack.ts";

describe("startActor()", () => {
  const stack = new Stack("runtime test actor secret");
  afterEach(() => stack.stop());
  const broker = (options: { port?: number; maxFrame?: number } = {}): Promise<Broker> => stack.broker({ publicRoles: ["work"], ...options });
  const client = (url: string): Promise<Session> => stack.session(url);

  it("registers again with a broker that restarted, and serves again", async () => {
    const first = await broker();
    const actor = await stack.actor(first.url, "work", { name: "phoenix", handlers: { ok: () => "ok" } });
    await first.close();
    await eventually(() => !actor.session.connected);
    const second = await broker({ port: first.port });
    const session = await client(second.url);
    await eventually(async () => {
      const { roles } = (await session.request("$broker", "actors", null)) as ActorsReport;
      return roles[0]?.actors[0]?.name === "phoenix";
    }, 10_000);
    assert.equal(await session.request("work", "ok", null), "ok");
  });

  it("serves a request that arrives with its welcome, nested calls included", async () => {
    const { url } = await broker();
    await stack.actor(url, "echo", { reconnect: false, handlers: { echo: ({ body }) => body } });
    let release!: () => void;
    const held = new Promise((resolve) => (release = () => resolve("first")));
    await stack.actor(url, "work", { concurrency: 1, reconnect: false, handlers: { relay: () => held } });
    const session = await client(url);
    const first = session.request("work", "relay", null);
    const queued = session.request("work", "relay", null);
    await eventually(async () => ((await session.request("$broker", "stats", null)) as { queued: number }).queued === 1);
    // The queued request is delivered to the newcomer at once, before its startActor() has returned.
    await stack.actor(url, "work", { reconnect: false, handlers: { relay: ({ call }) => call("echo", "echo", "relayed") } });
    assert.equal(await queued, "relayed");
    release();
    assert.equal(await first, "first");
  });

  it("answers TOO_LARGE for an answer over the broker's frame limit and stays connected", async () => {
    const { url } = await broker({ maxFrame: 8192 });
    await stack.actor(url, "work", { reconnect: false, handlers: { big: () => new Uint8Array(10_000), small: () => "fine" } });
    const session = await client(url);
    await assert.rejects(session.request("work", "big", null), (error: unknown) => {
      assert.equal((error as { code: string }).code, "TOO_LARGE");
      assert.match((error as Error).message, /over the broker's frame limit/);
      return true;
    });
    assert.equal(await session.request("work", "small", null), "fine");
  });

  it("cuts a long error message short, so that the broker takes its answer, and stays connected", async () => {
    const { url } = await broker();
    const actor = await stack.actor(url, "work", { handlers: { fail: () => { throw new BadRequestError("é".repeat(20_000)); }, ok: () => "ok" } });
    const session = await client(url);
    await assert.rejects(session.request("work", "fail", null), (error: unknown) => {
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.message, "é".repeat(MAX_ERROR_MESSAGE_LENGTH));
      return true;
    });
    assert.equal(await session.request("work", "ok", null), "ok");
    assert.equal(actor.session.connected, true);
  });

  it("connects again when the broker stops pinging: a half-open connection is not waited on", async () => {
    let hellos = 0;
    const standIn = await startStandIn((socket, message) => {
      if (message.t !== "hello") return;
      hellos++;
      // Promises a ping every 50 ms and never sends one.
      socket.send(welcomeFrame(`c${hellos}`, { heartbeat: 50 }));
    });
    stack.defer(() => standIn.close());
    await stack.actor(standIn.url, "work");
    await eventually(() => hellos >= 3, 10_000);
  });

  it("answers BAD_REQUEST for a request whose body it cannot decode, and stays connected", async () => {
    const answers: DecodedMessage[] = [];
    let hellos = 0;
    const standIn = await startStandIn((socket, message) => {
      if (message.t !== "hello") {
        answers.push(message);
        return;
      }
      hellos++;
      socket.send(welcomeFrame(`c${hellos}`));
      // Nobody on the way decodes a body: these bytes are not CBOR the decoder reads (a map cut short).
      socket.send(frame({ t: "req", id: 1, to: "work", op: "echo", ttl: 5000, body: new Uint8Array([0xa2, 0x61, 0x74]) }));
      socket.send(frame({ t: "req", id: 2, to: "work", op: "echo", ttl: 5000, body: "fine" }));
    });
    stack.defer(() => standIn.close());
    const actor = await stack.actor(standIn.url, "work", { handlers: { echo: ({ body }) => body } });
    await eventually(() => answers.length === 2);
    assert.deepEqual(answers[0], {
      t: "err", id: 1, code: "BAD_REQUEST", message: 'Invalid field "body": not a CBOR value', retryable: false,
    });
    assert.deepEqual(answers[1], { t: "res", id: 2, body: "fine" });
    assert.equal(actor.session.connected, true);
    assert.equal(hellos, 1);
  });

  it("answers only requests in place of closing: a bad frame of another type under an id gets no err", async () => {
    const received: DecodedMessage[] = [];
    let hellos = 0;
    const standIn = await startStandIn((socket, message) => {
      if (message.t !== "hello") {
        received.push(message);
        return;
      }
      hellos++;
      socket.send(welcomeFrame(`c${hellos}`));
      if (hellos === 1) socket.send(frame({ t: "bogus", id: 1 }));
    });
    stack.defer(() => standIn.close());
    await stack.actor(standIn.url, "work");
    // It closed that connection (1002) and registered again, answering nothing under id 1.
    await eventually(() => hellos === 2);
    assert.deepEqual(received, []);
  });

  it("drains with nothing in flight: the broker closes it at once and it does not come back", async () => {
    const { url } = await broker();
    const actor = await stack.actor(url, "work", { handlers: { ok: () => "ok" } });
    const session = await client(url);
    await actor.drain();
    assert.equal(actor.session.closed, true);
    await assert.rejects(session.request("work", "ok", null), { code: "NO_ROUTE" });
  });
});
