import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomView } from "./random-pool.ts";

describe("randomView()", () => {
  it("never hands out a byte twice, and views stay as they were after the pool moves on", () => {
    const first = randomView(32);
    const copy = Uint8Array.from(first);
    // Views of one buffer must not overlap: each byte handed out is handed out once.
    const ranges = new Map<ArrayBufferLike, [number, number][]>();
    for (let i = 0; i < 2000; i++) {
      const view = randomView(32 + (i % 7));
      const list = ranges.get(view.buffer) ?? [];
      for (const [start, end] of list) {
        assert.ok(view.byteOffset >= end || view.byteOffset + view.byteLength <= start, `view ${i} overlaps an earlier one`);
      }
      list.push([view.byteOffset, view.byteOffset + view.byteLength]);
      ranges.set(view.buffer, list);
    }
    assert.ok(ranges.size > 3, "the pool moved on to new blocks");
    assert.deepEqual(Uint8Array.from(first), copy);
    assert.notDeepEqual(copy, new Uint8Array(32), "the bytes are random, not zeros");
  });

  it("gives large requests their own buffer", () => {
    assert.equal(randomView(20_000).byteLength, 20_000);
  });
});
