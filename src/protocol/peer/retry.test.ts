import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError, OverloadedError, UnavailableError } from "../wire/mod.ts";
import { retry } from "./retry.ts";

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
      { deadline: performance.now() + 10_000, codes: ["UNAVAILABLE", "OVERLOADED"] },
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

  it("gives up with the last error when the next attempt would start past the deadline", async () => {
    let calls = 0;
    await assert.rejects(
      retry(async () => { calls++; throw new UnavailableError(`attempt ${calls}`); }, {
        deadline: performance.now() + 300,
        codes: ["UNAVAILABLE"],
        backoff: { initial: 40, max: 40 },
      }),
      (e: unknown) => e instanceof UnavailableError && e.message === `attempt ${calls}`,
    );
    assert.ok(calls >= 2, `retried: ${calls}`);
  });

  it("starts no attempt that, taking as long as the last one, would end past the deadline", async () => {
    let calls = 0;
    const slowFailure = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new OverloadedError(`attempt ${calls}`);
    };
    await assert.rejects(
      retry(slowFailure, { deadline: performance.now() + 150, codes: ["OVERLOADED"], backoff: { initial: 1, max: 1 } }),
      (e: unknown) => e instanceof OverloadedError && e.message === "attempt 1",
    );
    assert.equal(calls, 1);
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
