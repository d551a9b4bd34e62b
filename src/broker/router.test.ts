import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Actor, Handler } from "../actors/runtime/mod.ts";
import type { Session } from "../protocol/peer/mod.ts";
import type { StatsReport } from "../protocol/wire/mod.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { rawPeer } from "../../test/_helpers/raw-peer.ts";
import { type Gate, gate } from "../../test/_helpers/gate.ts";
import { Stack } from "../../test/_helpers/stack.ts";
import type { Broker, BrokerOptions } from "./mod.ts";

describe("Router", () => {
  const stack = new Stack("router test actor secret");
  afterEach(() => stack.stop());

  const broker = (options: Partial<BrokerOptions> = {}): Promise<Broker> => stack.broker({ publicRoles: ["work", "outer"], ...options });
  const actor = (url: string, handlers: Record<string, Handler>, concurrency = 8, role = "work"): Promise<Actor> =>
    stack.actor(url, role, { handlers, concurrency, reconnect: false });
  const client = (url: string): Promise<Session> => stack.session(url, { reconnect: false });

  /** Handlers that note who got what and hold `hold` requests until the gate opens. */
  function recording(name: string, seen: string[], held: Gate) {
    return {
      hold: async ({ body }: { body: unknown }) => {
        seen.push(`${name}:${String(body)}`);
        await held.wait();
        return name;
      },
      echo: ({ body }: { body: unknown }) => {
        seen.push(`${name}:${String(body)}`);
        return name;
      },
    };
  }

  it("gives each request to the actor with the fewest in flight, and spreads light load too", async () => {
    const { url } = await broker();
    const seen: string[] = [];
    const held = gate();
    const a = await actor(url, recording("a", seen, held));
    const b = await actor(url, recording("b", seen, held));
    const session = await client(url);

    const served: unknown[] = [];
    for (let i = 0; i < 10; i++) served.push(await session.request("work", "echo", i));
    assert.equal(served.filter((x) => x === "a").length, 5, "one request at a time alternates");

    const holding = [1, 2, 3].map((i) => session.request("work", "hold", i));
    await eventually(() => a.active + b.active === 3);
    const busier = a.active > b.active ? "a" : "b";
    const more = [4, 5, 6].map((i) => session.request("work", "hold", i));
    await eventually(() => a.active + b.active === 6);
    assert.deepEqual([a.active, b.active], [3, 3], `the less busy one caught up (busier was ${busier})`);
    held.open();
    await Promise.all([...holding, ...more]);
  });

  it("never gives an actor more than its concurrency, and queues the rest in order", async () => {
    const { url } = await broker();
    const seen: string[] = [];
    const held = gate();
    const one = await actor(url, recording("one", seen, held), 2);
    const session = await client(url);
    const calls = [1, 2, 3, 4, 5].map((i) => session.request("work", "hold", i));
    await eventually(() => seen.length === 2);
    const stats = (await session.request("$broker", "stats", null)) as StatsReport;
    assert.equal(stats.queued, 3);
    assert.equal(one.active, 2);
    held.open();
    await Promise.all(calls);
    assert.deepEqual(seen, ["one:1", "one:2", "one:3", "one:4", "one:5"]);
  });

  it("answers request N+2 OVERLOADED at once with one actor of concurrency 1 and a queue of N", async () => {
    const N = 3;
    const { url } = await broker({ maxQueue: N });
    const seen: string[] = [];
    const held = gate();
    await actor(url, recording("one", seen, held), 1);
    const session = await client(url);
    const accepted = Array.from({ length: N + 1 }, (_, i) => session.request("work", "hold", i, { timeout: 60_000 }));
    await eventually(() => seen.length === 1);
    await assert.rejects(session.request("work", "hold", "N+2", { timeout: 60_000 }), (error: unknown) => {
      assert.equal((error as { code: string }).code, "OVERLOADED");
      assert.equal((error as { retryable: boolean }).retryable, true);
      assert.match((error as Error).message, /every actor of "work" is busy and its queue is full/);
      return true;
    });
    assert.equal(seen.length, 1, "the others are still waiting, none was refused");
    held.open();
    assert.deepEqual(await Promise.all(accepted), Array(N + 1).fill("one"));
    assert.equal(seen.includes("one:N+2"), false);
  });

  it("answers a queued request whose deadline passes TIMEOUT and never delivers it", async () => {
    const { url } = await broker();
    const seen: string[] = [];
    const held = gate();
    await actor(url, recording("one", seen, held), 1);
    const session = await client(url);
    const first = session.request("work", "hold", "first", { timeout: 60_000 });
    await eventually(() => seen.length === 1);
    await assert.rejects(session.request("work", "hold", "expires", { timeout: 100 }), { code: "TIMEOUT" });
    held.open();
    await first;
    assert.equal(await session.request("work", "echo", "after"), "one");
    assert.deepEqual(seen, ["one:first", "one:after"]);
  });

  it("passes the remaining budget on, so a nested call inherits the deadline and is cut with it", async () => {
    const { url } = await broker();
    let outerTtl = 0;
    const inner: { ttl?: number; aborted?: string } = {};
    await actor(url, {
      probe: ({ deadline, signal }) =>
        new Promise((_, reject) => {
          inner.ttl = deadline - performance.now();
          signal.addEventListener("abort", () => {
            inner.aborted = (signal.reason as { code: string }).code;
            reject(signal.reason);
          });
        }),
    });
    await actor(url, { nest: ({ deadline, call }) => ((outerTtl = deadline - performance.now()), call("work", "probe", null)) }, 8, "outer");
    const session = await client(url);
    await assert.rejects(session.request("outer", "nest", null, { timeout: 1000 }), { code: "TIMEOUT" });
    await eventually(() => inner.aborted !== undefined);
    assert.ok(outerTtl > 0 && outerTtl <= 1000, `outer budget ${outerTtl}`);
    assert.ok(inner.ttl! > 0 && inner.ttl! <= outerTtl, `inner budget ${inner.ttl} within outer ${outerTtl}`);
    assert.equal(inner.aborted, "TIMEOUT", "the nested handler learns that time ran out, not that someone cancelled");
  });

  it("answers TIMEOUT, not CANCELLED, to a cancel that says the caller's time ran out, and tells the handler so", async () => {
    const { url } = await broker();
    const observed: string[] = [];
    const worker = await actor(url, {
      wait: ({ signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            observed.push((signal.reason as { code: string }).code);
            reject(signal.reason);
          }),
        ),
    });
    const peer = await rawPeer(url);
    stack.defer(() => peer.close());
    for (const [id, code] of [[1, "TIMEOUT"], [2, undefined]] as const) {
      // A budget far longer than the test, so that only the cancel can end the request.
      peer.send({ t: "req", id, to: "work", op: "wait", body: null, ttl: 600_000 });
      await eventually(() => worker.active === 1);
      peer.send(code ? { t: "cancel", id, code } : { t: "cancel", id });
      const answer = await peer.next();
      assert.deepEqual(answer.t === "err" && [answer.id, answer.code], [id, code ?? "CANCELLED"]);
      await eventually(() => worker.active === 0);
    }
    assert.deepEqual(observed, ["TIMEOUT", "CANCELLED"]);
    peer.send({ t: "req", id: 3, to: "$broker", op: "stats", body: null });
    const stats = await peer.next();
    const requests = (stats.t === "res" && (stats.body as StatsReport).requests) || {};
    assert.deepEqual([requests.TIMEOUT, requests.CANCELLED], [1, 1]);
  });

  it("cancels: the caller gets CANCELLED at once and the handler sees its signal abort", async () => {
    const { url } = await broker();
    let observed: string | undefined;
    const held = gate();
    const seen: string[] = [];
    const worker = await actor(url, {
      ...recording("w", seen, held),
      wait: ({ signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            observed = (signal.reason as { code: string }).code;
            reject(signal.reason);
          }),
        ),
    }, 1);
    const session = await client(url);
    const controller = new AbortController();
    const call = session.request("work", "wait", null, { signal: controller.signal, timeout: 60_000 });
    await eventually(() => worker.active === 1);
    controller.abort();
    await assert.rejects(call, { code: "CANCELLED" });
    await eventually(() => observed === "CANCELLED");

    // A cancelled request that waits in the queue is dropped from it.
    const blocker = session.request("work", "hold", "blocker", { timeout: 60_000 });
    await eventually(() => seen.length === 1);
    const queued = new AbortController();
    const dropped = session.request("work", "hold", "dropped", { signal: queued.signal, timeout: 60_000 });
    queued.abort();
    await assert.rejects(dropped, { code: "CANCELLED" });
    held.open();
    await blocker;
    assert.equal(await session.request("work", "echo", "next"), "w");
    assert.deepEqual(seen, ["w:blocker", "w:next"]);
  });

  it("keeps an actor's slot until it answers, even after the caller was answered", async () => {
    const { url } = await broker();
    const held = gate();
    const seen: string[] = [];
    const stubborn = await actor(url, {
      ...recording("s", seen, held),
      ignore: async () => {
        seen.push("ignore");
        await held.wait(); // does not look at its signal
        return "late";
      },
    }, 1);
    const session = await client(url);
    await assert.rejects(session.request("work", "ignore", null, { timeout: 100 }), { code: "TIMEOUT" });
    const next = session.request("work", "echo", "next", { timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(seen, ["ignore"], "not delivered while the actor still works on the timed-out one");
    assert.equal(stubborn.active, 1);
    held.open();
    assert.equal(await next, "s");
  });

  it("drains: no new requests to a draining actor, those in flight finish, then the broker closes it", async () => {
    const { url } = await broker();
    const held = gate();
    const seen: string[] = [];
    const leaving = await actor(url, recording("leaving", seen, held));
    const session = await client(url);
    const inFlight = session.request("work", "hold", "before", { timeout: 60_000 });
    await eventually(() => leaving.active === 1);
    const drained = leaving.drain();
    await eventually(async () => {
      const { roles } = (await session.request("$broker", "actors", null)) as { roles: { actors: { draining: boolean }[] }[] };
      return roles[0]!.actors[0]!.draining;
    });
    await actor(url, recording("staying", seen, held));
    assert.equal(await session.request("work", "echo", "new"), "staying");
    held.open();
    assert.equal(await inFlight, "leaving");
    await drained;
    assert.equal(leaving.session.closed, true);
    assert.deepEqual(seen.sort(), ["leaving:before", "staying:new"]);
  });

  it("holds requests for a role without actors while the broker warms up, then answers NO_ROUTE at once", async () => {
    const { url } = await broker({ warmup: 1000 });
    const session = await client(url);
    const early = session.request("work", "echo", "early", { timeout: 60_000 });
    const unserved = session.request("outer", "x", null, { timeout: 60_000 });
    await eventually(async () => ((await session.request("$broker", "stats", null)) as StatsReport).queued === 2);
    await actor(url, recording("late", [], gate()));
    assert.equal(await early, "late", "a client back before the actors is served once they are");
    await assert.rejects(unserved, { code: "NO_ROUTE" }, "still no actor at the end of the warm-up");
    await assert.rejects(session.request("outer", "x", null, { timeout: 60_000 }), { code: "NO_ROUTE" });
  });

  it("fails requests in flight to an actor that goes away UNAVAILABLE, and its role's queue NO_ROUTE", async () => {
    const { url } = await broker();
    const held = gate();
    const seen: string[] = [];
    const dying = await actor(url, recording("d", seen, held), 1);
    const session = await client(url);
    const inFlight = session.request("work", "hold", 1, { timeout: 60_000 });
    await eventually(() => seen.length === 1);
    const queued = session.request("work", "hold", 2, { timeout: 60_000 });
    dying.close();
    await assert.rejects(inFlight, { code: "UNAVAILABLE" });
    await assert.rejects(queued, { code: "NO_ROUTE" });
  });
});
