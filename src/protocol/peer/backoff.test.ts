import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay } from "./backoff.ts";

describe("backoffDelay()", () => {
  it("doubles the bound each attempt, up to the cap, and stays within [bound/2, bound]", () => {
    const bounds = [100, 200, 400, 800, 1600, 3200, 5000, 5000];
    bounds.forEach((bound, attempt) => {
      assert.equal(backoffDelay(attempt, {}, () => 0), bound / 2);
      assert.equal(backoffDelay(attempt, {}, () => 0.999_999_999), bound / 2 + 0.999_999_999 * (bound / 2));
    });
    assert.equal(backoffDelay(1000, { initial: 10, max: 60 }, () => 1), 60);
  });

  it("spreads peers that fail together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => Math.round(backoffDelay(4))));
    assert.ok(delays.size > 10);
  });

  it("refuses bounds that are not positive", () => {
    assert.throws(() => backoffDelay(0, { initial: 0 }), RangeError);
    assert.throws(() => backoffDelay(0, { max: Number.NaN }), RangeError);
  });
});
