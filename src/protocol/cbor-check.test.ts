import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { checkCbor, MAX_CBOR_DEPTH } from "./cbor-check.ts";
import { decode, encode } from "./codec.ts";

function refuses(bytes: number[] | Uint8Array, pattern: RegExp) {
  assert.throws(() => checkCbor(Uint8Array.from(bytes)), (error: unknown) => {
    assert.ok(error instanceof SyntaxError);
    assert.match(error.message, pattern);
    return true;
  });
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

describe("checkCbor()", () => {
  it("accepts every value of the protocol's data model as the codec writes it", () => {
    const values = [
      0, 23, 24, 255, 65_536, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40), 1.5, -0.25, 1e300, NaN,
      "", "text ✓", "x".repeat(70_000), new Uint8Array(), new Uint8Array(300), [], [1, [2, [3]]], {},
      { t: "req", id: 7, to: "encryptor", op: "store", body: { id: new Uint8Array([1]), payload: new Uint8Array(10) }, ttl: 500 },
      true, false, null, undefined,
    ];
    for (const value of values) assert.doesNotThrow(() => checkCbor(encode(value)), String(value));
  });

  it("accepts indefinite-length strings, arrays and maps", () => {
    checkCbor(Uint8Array.from([0x5f, 0x41, 0x01, 0x42, 0x02, 0x03, 0xff])); // bytes (_ h'01', h'0203')
    checkCbor(Uint8Array.from([0x7f, 0x61, ...utf8("a"), 0xff]));
    checkCbor(Uint8Array.from([0x9f, 0x01, 0x9f, 0xff, 0xff]));
    checkCbor(Uint8Array.from([0xbf, 0x61, ...utf8("t"), 0x01, 0xff]));
  });

  it("refuses every tag, including the decoder's shared references, objects and records", () => {
    refuses([0xd8, 0x1c, 0x82, 0xd8, 0x1d, 0x00, 0xd8, 0x1d, 0x00], /tags are not accepted/); // 28/29: a cycle
    refuses([0xd8, 0x1b, 0x83, 0x66, ...utf8("RegExp"), 0x61, 0x61, 0x61, 0x67], /tags/); // 27: new RegExp
    refuses([0xc1, 0x00], /tags/); // a date
    refuses([0xd8, 0x33, 0x84, 0x80, 0x80, 0x80, 0x00], /tags/); // 51: packed values
    refuses([0xd9, 0xdf, 0xff, 0x83, 0x00, 0x80, 0x00], /tags/); // a record definition
    refuses([0xa1, 0x61, ...utf8("a"), 0xc2, 0x41, 0x01], /tags/); // nested, a bignum
  });

  it("refuses simple values other than false, true, null and undefined", () => {
    for (const bytes of [[0xf0], [0xf8, 0x20], [0xe0], [0xf3]]) refuses(bytes, /simple value/);
  });

  it("refuses nesting deeper than the limit, without recursion", () => {
    const deep = (n: number) => [...Array(n).fill(0x81), 0x00];
    checkCbor(Uint8Array.from(deep(MAX_CBOR_DEPTH)));
    refuses(deep(MAX_CBOR_DEPTH + 1), /nested deeper than 64/);
    refuses(new Uint8Array(1_000_000).fill(0x81), /nested deeper/);
    refuses([...Array(10).fill(0xbf), 0xff], /nested deeper than 4|cut short/);
    assert.throws(() => checkCbor(Uint8Array.from([0x81, 0x81, 0x81, 0x00]), 2), /nested deeper than 2/);
  });

  it("refuses declared lengths past the end of the frame, up to 2^64 - 1", () => {
    for (const head of [0x5b, 0x7b, 0x9b, 0xbb]) refuses([head, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], /than the frame/);
    refuses([0x5a, 0xff, 0xff, 0xff, 0xff], /longer than the frame/);
    refuses([0x9a, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02], /more items declared/);
    refuses([0xb9, 0x00, 0x02, 0x01, 0x02, 0x03], /more items declared/); // 4 items in 3 bytes
    refuses([0x5f, 0x5a, 0xff, 0xff, 0xff, 0xff, 0xff], /longer than the frame/);
  });

  it("refuses a value cut anywhere, bytes after the value, and misplaced breaks", () => {
    const frame = encode({ t: "req", id: "abc", to: "encryptor", op: "store", body: { payload: new Uint8Array(40), n: 2 ** 40 } });
    for (let cut = 0; cut < frame.length; cut++) assert.throws(() => checkCbor(frame.subarray(0, cut)), SyntaxError, `cut at ${cut}`);
    refuses([0x01, 0x02], /bytes after the value/);
    refuses([0xff], /unexpected break/);
    refuses([0x82, 0x01, 0xff], /unexpected break/);
    refuses([0x5f, 0x61, 0x61, 0xff], /invalid chunk/);
    refuses([0x1c], /reserved/);
    refuses([0x1f], /indefinite integer/);
  });

  it("lets through only bytes that decode to plain trees: random and mutated input", () => {
    const seed = encode({ t: "req", id: 1, to: "a", op: "b", body: [1, "x", new Uint8Array(3), { k: null }] });
    for (let i = 0; i < 20_000; i++) {
      const bytes = i % 2 === 0 ? new Uint8Array(randomBytes(1 + (i % 40))) : Uint8Array.from(seed);
      if (i % 2 === 1) for (let flips = 1 + (i % 4); flips > 0; flips--) bytes[(i * 7919 + flips * 104_729) % bytes.length] = randomBytes(1)[0]!;
      let value: unknown;
      try {
        value = decode(bytes);
      } catch (error) {
        assert.ok(error instanceof SyntaxError);
        continue;
      }
      assertPlain(value, 0);
    }
  });
});

function assertPlain(value: unknown, depth: number): void {
  assert.ok(depth <= MAX_CBOR_DEPTH + 1);
  if (value === null || ["number", "bigint", "string", "boolean", "undefined"].includes(typeof value)) return;
  if (value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const item of value) assertPlain(item, depth + 1);
    return;
  }
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `a plain object, not ${Object.prototype.toString.call(value)}`);
  for (const item of Object.values(value as object)) assertPlain(item, depth + 1);
}
