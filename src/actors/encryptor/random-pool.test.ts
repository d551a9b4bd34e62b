import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomView } from "./random-pool.ts";

describe("randomView()", () => {
  it("never hands out the same bytes twice, and views stay as they were after the pool moves on", () => {
    const first = randomView(32);
    const copy = Uint8Array.from(first);
    const seen = new Set<string>([Buffer.from(first).toString("hex")]);
    for (let i = 0; i < 2000; i++) seen.add(Buffer.from(randomView(32)).toString("hex"));
    assert.equal(seen.size, 2001);
    assert.deepEqual(Uint8Array.from(first), copy);
  });

  it("gives large requests their own buffer", () => {
    assert.equal(randomView(20_000).byteLength, 20_000);
  });
});
