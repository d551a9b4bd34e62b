import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { decodeBase64Url, encodeBase64Url } from "./base64url.ts";

describe("base64url", () => {
  it("matches Node's base64url for every length from 0 to 70", () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n);
      const text = bytes.toString("base64url");
      assert.equal(encodeBase64Url(bytes), text);
      assert.deepEqual(decodeBase64Url(text), new Uint8Array(bytes));
    }
  });

  it("encodes a 32-byte key as 43 characters", () => {
    assert.equal(encodeBase64Url(new Uint8Array(32)).length, 43);
  });

  it("refuses padding, standard base64 characters, impossible lengths and non-canonical text", () => {
    for (const text of ["AA==", "a+b/", "A", "AAAAA", "AB", " AA"]) {
      assert.throws(() => decodeBase64Url(text), SyntaxError, text);
    }
  });
});
