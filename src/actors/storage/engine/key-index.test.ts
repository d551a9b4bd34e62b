import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { KeyIndex, type Location } from "./key-index.ts";

function keyOf(n: number): Uint8Array {
  const key = new Uint8Array(32);
  key[31] = n & 0xff;
  key[30] = n >>> 8;
  return key;
}

describe("KeyIndex", () => {
  it("agrees with a Map through growth, overwrites and deletions", () => {
    const index = new KeyIndex();
    const model = new Map<string, Location>();
    const keys = Array.from({ length: 5000 }, (_, i) => (i % 2 ? keyOf(i) : new Uint8Array(randomBytes(32))));
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let step = 0; step < 40_000; step++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      const name = Buffer.from(key).toString("hex");
      const previous: Location = { segment: 0, offset: 0, length: 0 };
      if (random() < 0.35) {
        assert.equal(index.delete(key, previous), model.has(name));
        if (model.has(name)) assert.deepEqual(previous, model.get(name));
        model.delete(name);
      } else {
        const location = { segment: 2 + (step % 5), offset: step * 1e6, length: step };
        assert.equal(index.set(key, location, previous), model.has(name));
        if (model.has(name)) assert.deepEqual(previous, model.get(name));
        model.set(name, location);
      }
    }
    assert.equal(index.size, model.size);
    const out: Location = { segment: 0, offset: 0, length: 0 };
    for (const key of keys) {
      const expected = model.get(Buffer.from(key).toString("hex"));
      assert.equal(index.get(key, out), expected !== undefined);
      if (expected) assert.deepEqual(out, expected);
    }
  });

  it("lists the keys of some segments", () => {
    const index = new KeyIndex();
    index.set(keyOf(1), { segment: 2, offset: 0, length: 1 });
    index.set(keyOf(2), { segment: 4, offset: 0, length: 1 });
    index.set(keyOf(3), { segment: 6, offset: 0, length: 1 });
    const found = index.keysIn(new Set([2, 6])).map((k) => k[31]).sort();
    assert.deepEqual(found, [1, 3]);
  });

  it("stays under 150 bytes a key at its peak", () => {
    const index = new KeyIndex();
    for (let i = 0; i < 200_000; i++) index.set(new Uint8Array(randomBytes(32)), { segment: 2, offset: i, length: 1 });
    assert.ok(index.peakBytes / index.size < 150, `${index.peakBytes / index.size} bytes a key`);
  });
});
