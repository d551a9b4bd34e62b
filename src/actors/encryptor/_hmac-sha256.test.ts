import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { HmacKey } from "./_hmac-sha256.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const text = (s: string) => new TextEncoder().encode(s);
const mac = (key: Uint8Array, ...parts: Uint8Array[]) => Buffer.from(new HmacKey(key).mac(parts)).toString("hex");

describe("HmacKey", () => {
  it("gives the HMAC-SHA-256 of the test cases of RFC 4231 whose keys fit one block", () => {
    assert.equal(mac(new Uint8Array(20).fill(0x0b), text("Hi There")), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assert.equal(mac(text("Jefe"), text("what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assert.equal(mac(new Uint8Array(20).fill(0xaa), new Uint8Array(50).fill(0xdd)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    assert.equal(
      mac(hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), new Uint8Array(50).fill(0xcd)),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    );
  });

  it("matches node:crypto for keys of every length to a block and messages of every length around block boundaries, in any split", () => {
    for (let keyLength = 0; keyLength <= 64; keyLength += 7) {
      const key = randomBytes(keyLength);
      const hmac = new HmacKey(key);
      for (let length = 0; length <= 200; length++) {
        const message = randomBytes(length);
        const cut = Math.floor(length / 3);
        const expected = createHmac("sha256", key).update(message).digest("hex");
        assert.equal(Buffer.from(hmac.mac([message])).toString("hex"), expected, `key ${keyLength}, message ${length}`);
        const split = [message.subarray(0, cut), new Uint8Array(0), message.subarray(cut, 2 * cut), message.subarray(2 * cut)];
        assert.equal(Buffer.from(hmac.mac(split)).toString("hex"), expected, `key ${keyLength}, message ${length} in parts`);
      }
    }
  });

  it("takes a new key in place, leaving nothing of the old one", () => {
    const hmac = new HmacKey(text("first"));
    hmac.rekey(text("second"));
    assert.equal(Buffer.from(hmac.mac([text("m")])).toString("hex"), createHmac("sha256", "second").update("m").digest("hex"));
  });

  it("refuses a key longer than a block", () => {
    assert.throws(() => new HmacKey(new Uint8Array(65)), RangeError);
  });
});
