import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CODE_LIST, CODES, isCode } from "./codes.ts";
import { errorForCode, StrongroomError } from "./errors.ts";

describe("CODES", () => {
  it("keeps every released code, in order, with the meaning it was released with", () => {
    // Append-only: a code is never removed, renamed or given another retryable flag once released.
    const released: [string, boolean][] = [
      ["BAD_REQUEST", false], ["UNAUTHENTICATED", false], ["FORBIDDEN", false], ["NO_ROUTE", true],
      ["NOT_FOUND", false], ["TOO_LARGE", false], ["TIMEOUT", true], ["CANCELLED", false],
      ["UNAVAILABLE", true], ["OVERLOADED", true], ["STORAGE_FAILED", false], ["INTERNAL", false],
    ];
    assert.deepEqual(CODE_LIST.slice(0, released.length).map((code) => [code, CODES[code].retryable]), released);
  });

  it("documents each code in one sentence that says when it is used", () => {
    const descriptions = CODE_LIST.map((code) => CODES[code].description);
    assert.equal(new Set(descriptions).size, descriptions.length, "no two codes share a description");
    for (const code of CODE_LIST) {
      assert.ok(CODES[code].description.length > 20, `${code} has a description`);
      assert.doesNotMatch(CODES[code].description, /\.$/);
    }
  });

  it("isCode() refuses names inherited from Object", () => {
    assert.equal(isCode("NOT_FOUND"), true);
    for (const value of ["toString", "__proto__", "constructor", "not_found", 1, null]) assert.equal(isCode(value), false);
  });
});

describe("errorForCode()", () => {
  it("builds a distinct class per code, with code, name and retryable", () => {
    const names = new Set<string>();
    for (const code of CODE_LIST) {
      const error = errorForCode(code, "Something happened");
      assert.ok(error instanceof StrongroomError);
      assert.equal(error.code, code);
      assert.equal(error.retryable, CODES[code].retryable);
      assert.equal(error.message, "Something happened");
      assert.match(error.name, /Error$/);
      names.add(error.constructor.name);
    }
    assert.equal(names.size, CODE_LIST.length);
  });

  it("keeps a retryable flag the sender chose and a cause", () => {
    const cause = new Error("low level");
    const error = errorForCode("INTERNAL", "Wrapped", { cause, retryable: true });
    assert.equal(error.retryable, true);
    assert.equal(error.cause, cause);
  });
});
