import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError, OverloadedError, UnavailableError } from "../wire/mod.ts";
import { retry, type RetryClock } from "./retry.ts";

/** A clock that moves only when waited on or told to: attempts take the time the test says. */
function virtualClock(): RetryClock & { advance(ms: number): void; waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    advance: (ms) => void (now += ms),
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe("retry()", () => {
  it("tries again on the listed codes until an attempt succeeds", async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls === 1) throw new UnavailableError("down");
        if (calls === 2) throw new OverloadedError("busy");
        return "done";
      },
      { deadline: 10_000, codes: ["UNAVAILABLE", "OVERLOADED"], clock: virtualClock() },
    );
    assert.equal(result, "done");
    assert.equal(calls, 3);
  });

  it("throws other errors at once", async () => {
    let calls = 0;
    const error = new NotFoundError("no");
    await assert.rejects(retry(async () => { calls++; throw error; }, { deadline: performance.now() + 10_000, codes: ["UNAVAILABLE"] }), (e) => e === error);
    assert.equal(calls, 1);
  });

  it("throws at once an error of a listed code that is marked not retryable", async () => {
    let calls = 0;
    const error = new UnavailableError("closed for good", { retryable: false });
    await assert.rejects(
      retry(async () => { calls++; throw error; }, { deadline: performance.now() + 10_000, codes: ["UNAVAILABLE"] }),
      (e) => e === error,
    );
    assert.equal(calls, 1);
  });

  it("gives up with the last error when the next wait would reach the deadline", async () => {
    const clock = virtualClock();
    let calls = 0;
    await assert.rejects(
      retry(async () => { calls++; throw new UnavailableError(`attempt ${calls}`); }, {
        deadline: 300,
        codes: ["UNAVAILABLE"],
        backoff: { initial: 40, max: 40 },
        clock,
      }),
      (e: unknown) => e instanceof UnavailableError && e.message === `attempt ${calls}`,
    );
    // Waits of 20 to 40 ms each, until the next (at most 40) would reach 300.
    const waited = clock.waits.reduce((a, b) => a + b, 0);
    assert.equal(calls, clock.waits.length + 1);
    assert.ok(clock.waits.every((ms) => ms >= 20 && ms <= 40));
    assert.ok(waited < 300 && waited >= 260, `waited ${waited} over ${clock.waits.length} waits`);
    assert.ok(calls >= 7, `retried ${calls} times`);
  });

  it("starts no attempt that, taking as long as the last one, would end past the deadline", async () => {
    const clock = virtualClock();
    let calls = 0;
    const slowFailure = async () => {
      calls++;
      clock.advance(100);
      throw new OverloadedError(`attempt ${calls}`);
    };
    await assert.rejects(
      retry(slowFailure, { deadline: 150, codes: ["OVERLOADED"], backoff: { initial: 1, max: 1 }, clock }),
      (e: unknown) => e instanceof OverloadedError && e.message === "attempt 1",
    );
    assert.equal(calls, 1);
    // With room for one more such attempt, there is one more.
    calls = 0;
    const roomy = virtualClock();
    await assert.rejects(
      retry(async () => { calls++; roomy.advance(100); throw new OverloadedError(`attempt ${calls}`); }, {
        deadline: 250, codes: ["OVERLOADED"], backoff: { initial: 1, max: 1 }, clock: roomy,
      }),
      (e: unknown) => e instanceof OverloadedError && e.message === "attempt 2",
    );
  });

  it("stops with CANCELLED when the signal aborts between attempts", async () => {
    const controller = new AbortController();
    const done = retry(async () => { throw new UnavailableError("down"); }, {
      deadline: performance.now() + 60_000,
      codes: ["UNAVAILABLE"],
      signal: controller.signal,
      backoff: { initial: 10_000, max: 10_000 },
    });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(done, { code: "CANCELLED" });
  });
});
