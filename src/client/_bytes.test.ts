import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { idError, KEY_LENGTH, keyError, payloadError, plain, toBytes } from "./_bytes.ts";

describe("client bytes", () => {
  it("takes text as UTF-8 and bytes as they are, and refuses anything else", () => {
    assert.deepEqual(toBytes("é"), new Uint8Array([0xc3, 0xa9]));
    const bytes = new Uint8Array([1, 2]);
    assert.equal(toBytes(bytes), bytes);
    assert.throws(() => toBytes(7 as never), TypeError);
  });

  it("gives a plain Uint8Array over the same memory as a subclass", () => {
    class Sub extends Uint8Array {}
    const sub = new Sub([1, 2, 3]).subarray(1);
    const view = plain(sub);
    assert.equal(view.constructor, Uint8Array);
    assert.equal(view.buffer, sub.buffer);
    assert.deepEqual([...view], [2, 3]);
  });

  it("answers TOO_LARGE for an id or payload over its limit, and nothing at the limit", () => {
    assert.equal(idError(new Uint8Array(4), 4), undefined);
    assert.equal(idError(new Uint8Array(5), 4)?.code, "TOO_LARGE");
    assert.equal(payloadError(new Uint8Array(4), 4), undefined);
    assert.equal(payloadError(new Uint8Array(5), 4)?.code, "TOO_LARGE");
  });

  it("answers BAD_REQUEST for a key of the wrong length, without its bytes, and throws TypeError for what is not bytes", () => {
    assert.equal(keyError(new Uint8Array(KEY_LENGTH)), undefined);
    const error = keyError(new Uint8Array(KEY_LENGTH + 1).fill(0x41));
    assert.equal(error?.code, "BAD_REQUEST");
    assert.match(error!.message, /expected 32 bytes, got 33/);
    assert.doesNotMatch(error!.message, /A|65/);
    assert.throws(() => keyError("key"), TypeError);
  });
});
