import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAnswer } from "./answer.ts";
import { InternalError } from "./errors.ts";
import { expectBytes, expectFields } from "./fields.ts";

describe("readAnswer()", () => {
  it("gives what the read returns", () => {
    const value = new Uint8Array([1]);
    assert.equal(readAnswer("storage", "get", () => expectBytes(expectFields({ value }), "value")), value);
  });

  it("turns a field check's BAD_REQUEST or TOO_LARGE into INTERNAL naming the peer, the op and the field", () => {
    const checks = [
      [() => expectFields("not a map"), 'Cannot read the answer of "storage" to "get": Invalid body: expected a map'],
      [() => expectBytes({ value: "secret text" }, "value"), 'Cannot read the answer of "storage" to "get": Invalid field "value": expected a byte string'],
      [() => expectBytes({ value: new Uint8Array(3) }, "value", { max: 2 }), 'Cannot read the answer of "storage" to "get": Invalid field "value": 3 bytes is over the limit of 2'],
    ] as const;
    for (const [read, message] of checks) {
      assert.throws(() => readAnswer<unknown>("storage", "get", read), (error: unknown) => {
        assert.ok(error instanceof InternalError);
        assert.equal(error.code, "INTERNAL");
        assert.equal(error.message, message);
        assert.ok(error.cause instanceof Error);
        return true;
      });
    }
  });

  it("keeps the text of anything else out of the message", () => {
    const cause = new TypeError("internal detail");
    assert.throws(() => readAnswer("encryptor", "store", () => { throw cause; }), (error: unknown) => {
      assert.ok(error instanceof InternalError);
      assert.equal(error.message, 'Cannot read the answer of "encryptor" to "store"');
      assert.equal(error.cause, cause);
      return true;
    });
  });
});
