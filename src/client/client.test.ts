import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Handler } from "../actors/runtime/mod.ts";
import { InternalError, MAX_TTL_MS, OverloadedError, UnavailableError } from "../protocol/wire/mod.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { settled } from "../../test/_helpers/settled.ts";
import { captureLogger, type LogLine } from "../../test/_helpers/capture-logger.ts";
import { Stack } from "../../test/_helpers/stack.ts";
import { connect } from "./mod.ts";

const KEY = new Uint8Array(32);
// Far above what ending a call takes, far below the calls' own time budget.
const LONG = 60_000;
const BOUND = 20_000;

/** Checks that a call ended with UNAVAILABLE that says not to try again. */
function assertEndedForGood(result: PromiseSettledResult<unknown>): void {
  assert.equal(result.status, "rejected");
  const error = (result as PromiseRejectedResult).reason;
  assert.ok(error instanceof UnavailableError, `UNAVAILABLE: ${error}`);
  assert.equal(error.code, "UNAVAILABLE");
  assert.match(error.message, /closed/);
  assert.equal(error.retryable, false);
}

describe("StrongroomClient", () => {
  const stack = new Stack("client test actor secret");
  afterEach(() => stack.stop());

  /** A broker with a stand-in encryptor whose ops the test writes. */
  async function service(handlers: Record<string, Handler>) {
    const { url } = await stack.broker();
    await stack.actor(url, "encryptor", { reconnect: false, handlers });
    return url;
  }

  it("reports losing the broker and connecting again to its logger, and closes only once the socket has", async () => {
    const broker = await stack.broker({ port: 0 });
    const { port } = broker;
    const lines: LogLine[] = [];
    const client = await connect(broker.url, { logger: captureLogger(lines), backoff: { initial: 20, max: 100 } });
    await broker.close();
    await eventually(() => lines.some((l) => l.level === "warn" && l.message === "Lost the broker; connecting again"));
    const again = await stack.broker({ port });
    await eventually(() => lines.some((l) => l.level === "info" && l.message === "Connected to the broker again"));
    assert.ok(lines.every((l) => !JSON.stringify(l).includes("token")));
    await client.close();
    assert.ok(lines.some((l) => l.message === "Connection closed"));
    // The broker saw the socket go: close() resolved after the socket closed, not before.
    await eventually(async () => {
      const peer = await connect(again.url);
      try {
        return (await peer.stats()).connections.clients === 1;
      } finally {
        await peer.close();
      }
    });
  });

  it("retries retrieve on OVERLOADED and UNAVAILABLE within its time budget", async () => {
    let calls = 0;
    const url = await service({
      retrieve: () => {
        calls++;
        if (calls === 1) throw new OverloadedError("busy");
        if (calls === 2) throw new UnavailableError("gone");
        return { payload: new Uint8Array([42]) };
      },
    });
    const client = await connect(url);
    stack.defer(() => client.close());
    assert.deepEqual(await client.retrieve("id", KEY), new Uint8Array([42]));
    assert.equal(calls, 3);
  });

  it("gives up with the last error once the budget would run out", async () => {
    let calls = 0;
    const url = await service({ retrieve: () => { calls++; throw new OverloadedError("still busy"); } });
    const client = await connect(url);
    stack.defer(() => client.close());
    await assert.rejects(client.retrieve("id", KEY, { timeout: 1000 }), (error: unknown) => {
      assert.ok(error instanceof OverloadedError);
      assert.equal(error.message, "still busy");
      return true;
    });
    assert.ok(calls > 1, `tried more than once: ${calls}`);
  });

  it("retries retrieveMany like retrieve, and never storeMany", async () => {
    const counts = { retrieveMany: 0, storeMany: 0 };
    const url = await service({
      retrieveMany: () => {
        counts.retrieveMany++;
        if (counts.retrieveMany === 1) throw new UnavailableError("gone");
        return { results: [{ payload: new Uint8Array([7]) }] };
      },
      storeMany: () => { counts.storeMany++; throw new OverloadedError("busy"); },
    });
    const client = await connect(url);
    stack.defer(() => client.close());
    const [result] = await client.retrieveMany([{ id: "id", key: KEY }]);
    assert.deepEqual(result, { ok: true, payload: new Uint8Array([7]) });
    await assert.rejects(client.storeMany([{ id: "id", payload: "p" }]), { code: "OVERLOADED" });
    assert.deepEqual(counts, { retrieveMany: 2, storeMany: 1 });
  });

  it("never retries store or delete on its own", async () => {
    const counts = { store: 0, delete: 0 };
    const url = await service({
      store: () => { counts.store++; throw new UnavailableError("lost"); },
      delete: () => { counts.delete++; throw new OverloadedError("busy"); },
    });
    const client = await connect(url);
    stack.defer(() => client.close());
    await assert.rejects(client.store("id", "payload"), { code: "UNAVAILABLE" });
    await assert.rejects(client.delete("id", KEY), { code: "OVERLOADED" });
    assert.deepEqual(counts, { store: 1, delete: 1 });
  });

  it("retries nothing when told not to", async () => {
    let calls = 0;
    const url = await service({ retrieve: () => { calls++; throw new OverloadedError("busy"); } });
    const client = await connect(url, { retry: false });
    stack.defer(() => client.close());
    await assert.rejects(client.retrieve("id", KEY), { code: "OVERLOADED" });
    assert.equal(calls, 1);
  });

  it("stops retrying when the call is aborted", async () => {
    const url = await service({ retrieve: () => { throw new OverloadedError("busy"); } });
    const client = await connect(url);
    stack.defer(() => client.close());
    const controller = new AbortController();
    const call = client.retrieve("id", KEY, { signal: controller.signal, timeout: 60_000 });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call, { code: "CANCELLED" });
  });

  it("ends a retrieve pending at close(), and reads made after it, at once instead of retrying", async () => {
    let calls = 0;
    const url = await service({ retrieve: () => { calls++; return new Promise(() => {}); } });
    const client = await connect(url);
    stack.defer(() => client.close());
    const pending = settled(client.retrieve("id", KEY, { timeout: LONG }), BOUND);
    await eventually(() => calls === 1);
    await client.close();
    assertEndedForGood(await pending);
    assertEndedForGood(await settled(client.retrieve("id", KEY, { timeout: LONG }), BOUND));
    assertEndedForGood(await settled(client.retrieveMany([{ id: "id", key: KEY }], { timeout: LONG }), BOUND));
    assert.equal(calls, 1);
  });

  it("ends retrieve at once when the broker goes away and the client does not reconnect", async () => {
    let calls = 0;
    const broker = await stack.broker();
    await stack.actor(broker.url, "encryptor", { reconnect: false, handlers: { retrieve: () => { calls++; return new Promise(() => {}); } } });
    const client = await connect(broker.url, { reconnect: false });
    stack.defer(() => client.close());
    const pending = settled(client.retrieve("id", KEY, { timeout: LONG }), BOUND);
    await eventually(() => calls === 1);
    await broker.close();
    assertEndedForGood(await pending);
    assert.equal(client.connected, false);
    assertEndedForGood(await settled(client.retrieve("id", KEY, { timeout: LONG }), BOUND));
    assertEndedForGood(await settled(client.retrieveMany([{ id: "id", key: KEY }], { timeout: LONG }), BOUND));
  });

  it("takes a timeout longer than a request can carry, Infinity included, as the longest budget", async () => {
    const budgets: number[] = [];
    const budget = (deadline: number) => budgets.push(deadline - performance.now());
    const url = await service({
      store: ({ deadline }) => { budget(deadline); return { key: KEY }; },
      retrieve: ({ deadline }) => { budget(deadline); return { payload: new Uint8Array([1]) }; },
      delete: ({ deadline }) => { budget(deadline); return {}; },
      storeMany: ({ deadline }) => { budget(deadline); return { results: [{ key: KEY }] }; },
      retrieveMany: ({ deadline }) => { budget(deadline); return { results: [{ payload: new Uint8Array([1]) }] }; },
    });
    for (const timeout of [Infinity, 30 * 86_400_000, MAX_TTL_MS + 1]) {
      const client = await connect(url, { timeout });
      stack.defer(() => client.close());
      for (const options of [undefined, { timeout }]) {
        assert.deepEqual(await client.store("id", "payload", options), KEY);
        assert.deepEqual(await client.retrieve("id", KEY, options), new Uint8Array([1]));
        await client.delete("id", KEY, options);
        assert.deepEqual(await client.storeMany([{ id: "id", payload: "payload" }], options), [{ ok: true, key: KEY }]);
        assert.deepEqual(await client.retrieveMany([{ id: "id", key: KEY }], options), [{ ok: true, payload: new Uint8Array([1]) }]);
      }
    }
    assert.equal(budgets.length, 30);
    for (const ms of budgets) assert.ok(ms <= MAX_TTL_MS && ms > MAX_TTL_MS - 60_000, `arrived as ${ms} ms`);
  });

  it("refuses a timeout that is not a positive number, naming the option, before sending anything", async () => {
    let calls = 0;
    const url = await service({ store: () => { calls++; return { key: KEY }; }, retrieve: () => { calls++; return { payload: new Uint8Array() }; } });
    const client = await connect(url);
    stack.defer(() => client.close());
    const invalid = [
      [NaN, RangeError, "expected a positive number of ms"],
      [0, RangeError, "expected a positive number of ms"],
      [-1, RangeError, "expected a positive number of ms"],
      ["5000", TypeError, "expected a number of ms"],
    ] as const;
    for (const [timeout, type, expected] of invalid) {
      const options = { timeout: timeout as number };
      const error = { name: type.name, message: `Invalid option "timeout": ${expected}` };
      await assert.rejects(client.store("id", "payload", options), error);
      await assert.rejects(client.retrieve("id", KEY, options), error);
      await assert.rejects(client.delete("id", KEY, options), error);
      await assert.rejects(client.storeMany([], options), error);
      await assert.rejects(client.retrieveMany([{ id: "id", key: KEY }], options), error);
      await assert.rejects(client.stats(options), error);
      await assert.rejects(connect(url, options), error);
      await assert.rejects(connect(url, { connectTimeout: timeout as number }), { ...error, message: `Invalid option "connectTimeout": ${expected}` });
    }
    assert.equal(calls, 0);
  });

  it("fails with INTERNAL, not BAD_REQUEST, when the service answers malformed", async () => {
    let answer: unknown;
    // An encryptor that answers with whatever the test sets, as a faulty or newer one might.
    const url = await service({ store: () => answer, retrieve: () => answer, storeMany: () => answer, retrieveMany: () => answer });
    const client = await connect(url);
    stack.defer(() => client.close());
    const internal = (op: string, detail: RegExp) => (error: unknown) => {
      assert.ok(error instanceof InternalError, `${op} of ${JSON.stringify(answer)}: ${error}`);
      assert.equal(error.code, "INTERNAL");
      assert.match(error.message, new RegExp(`^Cannot read the answer of "encryptor" to "${op}": ${detail.source}`));
      return true;
    };
    for (const malformed of [null, "not a map", {}, { key: new Uint8Array(31), payload: "text", results: [{ key: "x", payload: 1 }] }]) {
      answer = malformed;
      await assert.rejects(client.store("id", "payload"), internal("store", /Invalid (body|field "key")/));
      await assert.rejects(client.retrieve("id", KEY), internal("retrieve", /Invalid (body|field "payload")/));
      await assert.rejects(client.storeMany([{ id: "id", payload: "payload" }]), internal("storeMany", /Invalid (answer|field "key")/));
      await assert.rejects(client.retrieveMany([{ id: "id", key: KEY }]), internal("retrieveMany", /Invalid (answer|field "payload")/));
    }
  });

  it("asks the broker for its actors and stats", async () => {
    const url = await service({});
    const client = await connect(url, { name: "inspector" });
    stack.defer(() => client.close());
    const { roles } = await client.actors();
    assert.deepEqual(roles.map((r) => [r.role, r.actors.length]), [["encryptor", 1]]);
    const stats = await client.stats();
    assert.deepEqual(stats.connections, { clients: 1, actors: 1 });
  });
});
