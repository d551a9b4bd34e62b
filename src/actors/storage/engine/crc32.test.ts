import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { crc32, crc32Portable } from "./crc32.ts";

describe("crc32()", () => {
  it("gives the standard check value", () => {
    const check = new TextEncoder().encode("123456789");
    assert.equal(crc32(check), 0xcbf43926);
    assert.equal(crc32Portable(check), 0xcbf43926);
    assert.equal(crc32(new Uint8Array()), 0);
    assert.equal(crc32Portable(new Uint8Array()), 0);
  });

  it("agrees with the portable version on every length and alignment", () => {
    const bytes = new Uint8Array(randomBytes(300));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= bytes.length; end += 7) {
        const view = bytes.subarray(start, end);
        assert.equal(crc32Portable(view), crc32(view), `bytes ${start}..${end}`);
        const split = crc32Portable(bytes.subarray(end), crc32Portable(view, crc32(bytes.subarray(0, start))));
        assert.equal(split, crc32(bytes), `continued at ${start} and ${end}`);
      }
    }
  });
});
