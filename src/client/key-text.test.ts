import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { BadRequestError } from "../protocol/wire/mod.ts";
import { keyFromText, keyToText } from "./key-text.ts";

describe("key text", () => {
  it("keyToText() writes 43 characters of unpadded base64url that keyFromText() reads back", () => {
    for (let i = 0; i < 50; i++) {
      const key = new Uint8Array(randomBytes(32));
      const text = keyToText(key);
      assert.match(text, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(text, Buffer.from(key).toString("base64url"));
      assert.deepEqual(keyFromText(text), key);
      assert.deepEqual(keyFromText(`  ${text}\n`), key, "white space around a pasted key is ignored");
    }
  });

  it("keyFromText() refuses text that is not one key with BAD_REQUEST, without repeating it", () => {
    const key = Buffer.from(randomBytes(32));
    const texts = ["", "abc", key.toString("base64url").slice(0, 42), `${key.toString("base64url")}A`, key.toString("base64"), `${key.toString("base64url")}=`, "é".repeat(43)];
    for (const text of texts) {
      assert.throws(() => keyFromText(text), (error: unknown) => {
        assert.ok(error instanceof BadRequestError);
        assert.equal(error.code, "BAD_REQUEST");
        assert.equal(error.message, "Invalid key: expected 32 bytes as unpadded base64url (43 characters)");
        return true;
      }, JSON.stringify(text));
    }
  });

  it("keyToText() refuses anything but 32 bytes", () => {
    assert.throws(() => keyToText(new Uint8Array(31)), TypeError);
    assert.throws(() => keyToText("key" as never), TypeError);
  });
});
