import assert from "node:assert/strict";
import { hkdfSync, randomBytes, webcrypto } from "node:crypto";
import { describe, it } from "node:test";
import { associatedData, deriveKeys, lengthPrefixed, open, seal, sealInto, VALUE_OVERHEAD } from "./crypto.ts";

const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const lp = (x: Uint8Array) => concat(new Uint8Array([x.length >> 8, x.length & 0xff]), x);

// The formulas of the design, computed with other primitives: Node's one-shot HKDF and WebCrypto's AES-GCM.
async function reference(key: Uint8Array, nonce: Uint8Array, tenant: string, id: Uint8Array, payload: Uint8Array) {
  const salt = text("strongroom/v1");
  const encKey = Buffer.from(hkdfSync("sha256", key, salt, text("enc"), 32));
  const locator = Buffer.from(hkdfSync("sha256", key, salt, concat(text("loc"), lp(text(tenant)), lp(id)), 32));
  const aad = concat(text("strongroom"), new Uint8Array([1, 1]), lp(text(tenant)), lp(id));
  const aes = await webcrypto.subtle.importKey("raw", encKey, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 }, aes, payload));
  return { encKey, locator, aad, value: concat(new Uint8Array([1, 1]), nonce, sealed) };
}

describe("crypto: known-answer vectors", () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
  const cases = [
    { tenant: "", id: text("invoice-42"), payload: text("attack at dawn") },
    { tenant: "acme", id: new Uint8Array([0, 1, 2, 255]), payload: new Uint8Array() },
    { tenant: "tenant ✓", id: new Uint8Array(900).fill(7), payload: new Uint8Array(5000).map((_, i) => i * 31) },
  ];

  for (const [n, { tenant, id, payload }] of cases.entries()) {
    it(`vector ${n + 1}: locator, encryption key and value match the formulas`, async () => {
      const expected = await reference(key, nonce, tenant, id, payload);
      const derived = deriveKeys(key, text(tenant), id);
      assert.deepEqual(Buffer.from(derived.locator), expected.locator);
      assert.deepEqual(Buffer.from(derived.encKey), expected.encKey);
      assert.deepEqual(Buffer.from(associatedData(text(tenant), id)), expected.aad);
      const value = seal(derived.encKey, associatedData(text(tenant), id), payload, nonce);
      assert.deepEqual(Buffer.from(value), expected.value);
      assert.equal(value.length, payload.length + VALUE_OVERHEAD);
    });
  }

  it("pins vector 1 to fixed bytes, so that a change of format cannot go unnoticed", () => {
    const id = text("invoice-42");
    const derived = deriveKeys(key, new Uint8Array(), id);
    assert.equal(Buffer.from(derived.locator).toString("hex"), "b9ab09137ddd2480a500a84a0772b8d93a0f313f7bef865979b498e68690c8d6");
    assert.equal(
      Buffer.from(seal(derived.encKey, associatedData(new Uint8Array(), id), text("attack at dawn"), nonce)).toString("hex"),
      "0101a0a1a2a3a4a5a6a7a8a9aaabdf6a963698e4160fd6cf2dda0560d3ff9e5a9d294b8ca4ac88905f981fd6",
    );
  });
});

describe("crypto: open()", () => {
  const key = randomBytes(32);
  const id = text("id");
  const { encKey } = deriveKeys(key, new Uint8Array(), id);
  const aad = associatedData(new Uint8Array(), id);
  const value = seal(encKey, aad, text("payload"));

  it("opens what seal() made", () => {
    assert.equal(new TextDecoder().decode(open(encKey, aad, value)!), "payload");
  });

  it("uses a fresh nonce for every seal", () => {
    assert.notDeepEqual(seal(encKey, aad, text("payload")).subarray(2, 14), value.subarray(2, 14));
  });

  it("returns null for a flipped bit anywhere, another id or tenant, a wrong key, and short or foreign values", () => {
    for (let bit = 0; bit < value.length * 8; bit += 7) {
      const damaged = Uint8Array.from(value);
      damaged[bit >> 3]! ^= 1 << (bit & 7);
      assert.equal(open(encKey, aad, damaged), null, `bit ${bit}`);
    }
    assert.equal(open(encKey, associatedData(new Uint8Array(), text("other")), value), null);
    assert.equal(open(encKey, associatedData(text("tenant"), id), value), null);
    assert.equal(open(deriveKeys(randomBytes(32), new Uint8Array(), id).encKey, aad, value), null);
    assert.equal(open(encKey, aad, value.subarray(0, VALUE_OVERHEAD - 1)), null);
  });

  it("sealInto() writes what seal() returns into a part of a larger buffer, and only into a part of the right length", () => {
    const nonce = randomBytes(12);
    const shared = new Uint8Array(VALUE_OVERHEAD + 7 + 10).fill(0xee);
    sealInto(shared.subarray(5, 5 + VALUE_OVERHEAD + 7), encKey, aad, text("payload"), nonce);
    assert.deepEqual(shared.subarray(5, 5 + VALUE_OVERHEAD + 7), seal(encKey, aad, text("payload"), nonce));
    assert.deepEqual([...shared.subarray(0, 5), ...shared.subarray(5 + VALUE_OVERHEAD + 7)], new Array(10).fill(0xee));
    assert.throws(() => sealInto(new Uint8Array(VALUE_OVERHEAD + 6), encKey, aad, text("payload"), nonce), RangeError);
  });

  it("lengthPrefixed() refuses more than 65535 bytes", () => {
    assert.throws(() => lengthPrefixed(new Uint8Array(65536)), RangeError);
  });
});
