import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_TTL_MS } from "../protocol/wire/mod.ts";
import { timeoutOption } from "./_timeout.ts";

describe("timeoutOption()", () => {
  it("takes a positive number of ms as it is", () => {
    assert.equal(timeoutOption(5000, "timeout"), 5000);
    assert.equal(timeoutOption(0.5, "timeout"), 0.5);
    assert.equal(timeoutOption(MAX_TTL_MS, "timeout"), MAX_TTL_MS);
  });

  it("takes a longer budget, Infinity included, as the longest a request can carry", () => {
    assert.equal(timeoutOption(MAX_TTL_MS + 1, "timeout"), MAX_TTL_MS);
    assert.equal(timeoutOption(30 * 86_400_000, "timeout"), MAX_TTL_MS);
    assert.equal(timeoutOption(Infinity, "timeout"), MAX_TTL_MS);
  });

  it("throws RangeError naming the option for NaN, zero and negative budgets", () => {
    for (const value of [NaN, 0, -1, -Infinity]) {
      assert.throws(() => timeoutOption(value, "connectTimeout"), {
        name: "RangeError",
        message: 'Invalid option "connectTimeout": expected a positive number of ms',
      });
    }
  });

  it("throws TypeError naming the option for what is not a number", () => {
    for (const value of ["5000", null, 5000n, {}]) {
      assert.throws(() => timeoutOption(value, "timeout"), {
        name: "TypeError",
        message: 'Invalid option "timeout": expected a number of ms',
      });
    }
  });
});
