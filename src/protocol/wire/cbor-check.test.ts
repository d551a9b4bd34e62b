import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { seededRandom } from "../../../test/_helpers/fuzz-frames.ts";
import { checkCbor, locateBody, locateBodyLoosely, MAX_CBOR_DEPTH, MAX_CBOR_LENGTH } from "./cbor-check.ts";
import { decode, encode } from "./codec.ts";

function refuses(bytes: number[] | Uint8Array, pattern: RegExp) {
  assert.throws(() => checkCbor(Uint8Array.from(bytes)), (error: unknown) => {
    assert.ok(error instanceof SyntaxError);
    assert.match(error.message, pattern);
    return true;
  });
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

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

  it("accepts indefinite-length arrays and maps", () => {
    checkCbor(Uint8Array.from([0x9f, 0x01, 0x9f, 0xff, 0xff]));
    checkCbor(Uint8Array.from([0xbf, 0x61, ...utf8("t"), 0x01, 0xff]));
    checkCbor(Uint8Array.from([0xbf, 0xff]));
  });

  it("refuses indefinite-length byte and text strings, which the decoder cannot read", () => {
    refuses([0x5f, 0x41, 0x01, 0x42, 0x02, 0x03, 0xff], /indefinite-length string/); // bytes (_ h'01', h'0203')
    refuses([0x7f, 0x61, ...utf8("a"), 0xff], /indefinite-length string/);
    refuses([0x7f, 0xff], /indefinite-length string/);
    refuses([0xa1, 0x67, ...utf8("payload"), 0x5f, 0x41, 0x01, 0xff], /indefinite-length string/);
  });

  it("accepts text and integer map keys of every width, which decode to property names", () => {
    const keys: [number[], string][] = [
      [[0x60], ""],
      [[0x61, ...utf8("t")], "t"],
      [[0x78, 0x1a, ...utf8("a".repeat(26))], "a".repeat(26)],
      [[0x00], "0"],
      [[0x18, 0xff], "255"],
      [[0x19, 0x01, 0x00], "256"],
      [[0x1a, 0x00, 0x01, 0x00, 0x00], "65536"],
      [[0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "18446744073709551615"],
      [[0x20], "-1"],
      [[0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "-18446744073709551616"],
    ];
    for (const [key, name] of keys) {
      for (const map of [[0xa1, ...key, 0x07], [0xbf, ...key, 0x07, 0xff], [0x81, 0xa1, ...key, 0x07]]) {
        checkCbor(Uint8Array.from(map));
        const value = decode(Uint8Array.from(map));
        assert.deepEqual(map[0] === 0x81 ? (value as unknown[])[0] : value, { [name]: 7 }, `key ${name}`);
      }
    }
  });

  it("refuses map keys the decoder refuses (byte strings, arrays, maps) and floats or simple values", () => {
    const keys = [
      [0x41, 0x01], [0x40], [0x80], [0x81, 0x00], [0x9f, 0xff], [0xa0], [0xbf, 0xff], // the decoder throws on these
      [0xf9, 0x3c, 0x00], [0xfa, 0x7f, 0xc0, 0x00, 0x00], [0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], // 1.0, NaN, 1.5
      [0xf4], [0xf5], [0xf6], [0xf7],
    ];
    for (const key of keys) {
      refuses([0xa1, ...key, 0x01], /map key that is not a text string or an integer/);
      refuses([0xbf, ...key, 0x01, 0xff], /map key/);
      refuses([0xa2, 0x61, ...utf8("t"), 0x01, ...key, 0x01], /map key/); // the second key
      refuses([0x82, 0x00, 0xa1, ...key, 0x01], /map key/); // a map inside an array
      refuses([0xa1, 0x61, ...utf8("k"), 0xa1, ...key, 0x01], /map key/); // a map inside a map
    }
    refuses([0xa1, 0xc1, 0x00, 0x01], /map key|tags/);
    // The byte-string key of a body, which once cost an actor its connection.
    const frame = encode({ t: "req", id: 1, to: "encryptor", op: "store", body: null });
    refuses([...frame.subarray(0, -1), 0xa1, 0x41, 0x01, 0x01], /map key/);
  });

  it("refuses byte and text strings whose length is written in eight bytes", () => {
    // cbor-x reads them in JavaScript, but its native string extractor throws on one anywhere after a string.
    for (const head of [0x5b, 0x7b]) refuses([head, 0, 0, 0, 0, 0, 0, 0, 1, 0x61], /string length written in eight bytes/);
    refuses([0x82, 0x78, 0x20, ...utf8("x".repeat(32)), 0x7b, 0, 0, 0, 0, 0, 0, 0, 1, 0x61], /eight bytes/);
    refuses([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], /eight bytes/);
  });

  it("refuses an indefinite-length map whose last key has no value", () => {
    refuses([0xbf, 0x61, ...utf8("t"), 0xff], /map key without a value/);
    refuses([0xbf, 0x61, ...utf8("t"), 0x01, 0x61, ...utf8("u"), 0xff], /map key without a value/);
  });

  it("refuses arrays and maps of more items than the decoder takes", () => {
    refuses([0x9a, ...be32(MAX_CBOR_LENGTH + 1), 0x00], /more than 16000000 items/);
    refuses([0xba, ...be32(MAX_CBOR_LENGTH + 1), 0x00], /more than 16000000 items/);
    const items = (count: number) => {
      const bytes = new Uint8Array(count + 2); // 0x9f, `count` zeros, 0xff
      bytes[0] = 0x9f;
      bytes[count + 1] = 0xff;
      return bytes;
    };
    checkCbor(items(MAX_CBOR_LENGTH));
    refuses(items(MAX_CBOR_LENGTH + 1), /more than 16000000 items/);
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
    refuses([...Array(10).fill([0xbf, 0x60]).flat(), 0x00, 0xff], /cut short/);
    assert.throws(() => checkCbor(Uint8Array.from([0x81, 0x81, 0x81, 0x00]), 2), /nested deeper than 2/);
  });

  it("refuses declared lengths past the end of the frame, up to 2^64 - 1", () => {
    for (const head of [0x9b, 0xbb]) refuses([head, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], /more than 16000000 items/);
    for (const head of [0x9a, 0xba]) refuses([head, 0x00, 0xf4, 0x24, 0x00, 0x00], /more items declared/); // 16,000,000
    refuses([0x5a, 0xff, 0xff, 0xff, 0xff], /longer than the frame/);
    refuses([0x9a, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02], /more items declared/);
    refuses([0xb9, 0x00, 0x02, 0x01, 0x02, 0x03], /more items declared/); // 4 items in 3 bytes
  });

  it("refuses a value cut anywhere, bytes after the value, and misplaced breaks", () => {
    const frame = encode({ t: "req", id: "abc", to: "encryptor", op: "store", body: { payload: new Uint8Array(40), n: 2 ** 40 } });
    for (let cut = 0; cut < frame.length; cut++) assert.throws(() => checkCbor(frame.subarray(0, cut)), SyntaxError, `cut at ${cut}`);
    refuses([0x01, 0x02], /bytes after the value/);
    refuses([0xff], /unexpected break/);
    refuses([0x82, 0x01, 0xff], /unexpected break/);
    refuses([0x5f, 0x61, 0x61, 0xff], /indefinite-length string/);
    refuses([0x1c], /reserved/);
    refuses([0x1f], /indefinite integer/);
  });

  it("lets through only bytes that the codec decodes: random and mutated CBOR of every construct", () => {
    const random = seededRandom(20_240_611);
    let accepted = 0;
    for (let i = 0; i < 30_000; i++) {
      const bytes = Uint8Array.from(randomCbor(random, 4));
      if (i % 3 === 0) {
        // Mutated: a byte changed, inserted or dropped.
        const at = Math.floor(random() * bytes.length);
        const mutated = [...bytes];
        const byte = [0xff, 0x5f, 0x7f, 0x9f, 0xbf, 0x41, 0x80, 0xa0, 0xf6, Math.floor(random() * 256)][Math.floor(random() * 10)]!;
        if (random() < 0.4) mutated[at] = byte;
        else if (random() < 0.5) mutated.splice(at, 0, byte);
        else mutated.splice(at, 1);
        bytes.set(mutated.slice(0, bytes.length));
        if (mutated.length !== bytes.length) checks(Uint8Array.from(mutated));
      }
      if (checks(bytes)) accepted++;
    }
    // Enough of both kinds that the property says something.
    assert.ok(accepted > 5_000 && accepted < 25_000, `accepted ${accepted}`);

    function checks(bytes: Uint8Array): boolean {
      try {
        checkCbor(bytes);
      } catch (error) {
        assert.ok(error instanceof SyntaxError);
        return false;
      }
      const hex = Buffer.from(bytes).toString("hex");
      assert.doesNotThrow(() => assertPlain(decode(bytes), 0), `checkCbor accepted ${hex.slice(0, 200)} but the codec cannot decode it`);
      assert.doesNotThrow(() => locateBodyLoosely(bytes), `checkCbor accepted ${hex.slice(0, 200)} but locateBodyLoosely refused it`);
      return true;
    }
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

describe("locateBodyLoosely()", () => {
  const head = encode({ t: "req", id: 9, to: "encryptor", op: "store", body: null });
  const withBody = (body: number[], after: number[] = []) => {
    const frame = [...head.subarray(0, -1), ...body, ...after];
    assert.equal(frame[0], 0xb9); // cbor-x writes the size of a map in two bytes
    if (after.length > 0) frame[2]! += 1; // one more pair
    return Uint8Array.from(frame);
  };

  it("finds a body that only well-formedness allows: tags, simple values, any keys, indefinite strings", () => {
    const bodies = [
      [0xa1, 0x41, 0x01, 0x01], // a byte-string key
      [0xa1, 0x80, 0x01], // an array as a key
      [0xbf, 0xa0, 0x01, 0xff], // a map as a key
      [0x5f, 0x41, 0x01, 0x42, 0x02, 0x03, 0xff], // an indefinite-length byte string
      [0x7f, 0x61, 0x61, 0xff],
      [0x7b, 0, 0, 0, 0, 0, 0, 0, 1, 0x61], // a length written in eight bytes
      [0xc1, 0x00], // tag 1
      [0xc1, 0xc2, 0x41, 0x00], // tags of tags
      [0xd8, 0x1c, 0x81, 0xd8, 0x1d, 0x00], // shared references: a cycle
      [0xa1, 0xc1, 0x00, 0x01], // a tag as a key
      [0x82, 0xf0, 0xf8, 0x20], // simple values
      [0x9f, 0xc1, 0x9f, 0xff, 0xff],
    ];
    for (const body of bodies) {
      const frame = withBody(body);
      assert.throws(() => locateBody(frame), SyntaxError);
      assert.deepEqual(locateBodyLoosely(frame), { start: head.length - 1, end: frame.length }, Buffer.from(body).toString("hex"));
      // And with a field after the body.
      const followed = withBody(body, [0x61, 0x78, 0x00]);
      assert.deepEqual(locateBodyLoosely(followed), { start: head.length - 1, end: head.length - 1 + body.length });
    }
  });

  it("finds what locateBody finds in a frame of the data model", () => {
    for (const value of [{ t: "res", id: 1, body: 7 }, { body: [1, { a: "b" }], t: "res" }, { t: "drain" }, [1, 2]]) {
      assert.deepEqual(locateBodyLoosely(encode(value)), locateBody(encode(value)));
    }
  });

  it("refuses bytes that are not well-formed CBOR", () => {
    const malformed = [
      [0xbf, 0x61, 0x74, 0xff], // a key without a value
      [0x9f, 0xc1, 0xff], // a tag without a value
      [0xc1], // a tag at the end
      [0x5f, 0x61, 0x61, 0xff], // a chunk of the wrong type
      [0x5f, 0x41], // a string cut short
      [0xfc], // reserved
      [0x01, 0x02], // two values
      [...Array(MAX_CBOR_DEPTH + 1).fill(0x81), 0x00],
    ];
    for (const bytes of malformed) {
      assert.throws(() => locateBodyLoosely(Uint8Array.from(bytes)), SyntaxError, Buffer.from(bytes).toString("hex"));
      assert.throws(() => locateBodyLoosely(withBody(bytes)), SyntaxError, Buffer.from(bytes).toString("hex"));
    }
  });
});

/**
 * Random CBOR of every construct the wire may carry, well-formed or not: integers, floats and simple
 * values of every width, definite and indefinite strings, arrays and maps, keys of every type, tags,
 * strings that are not UTF-8, and stray breaks.
 */
function randomCbor(random: () => number, depth: number): number[] {
  const int = (n: number) => Math.floor(random() * n);
  const head = (major: number, value: number): number[] => {
    const m = major << 5;
    const width = value < 24 ? int(4) : value < 256 ? 1 + int(3) : value < 65_536 ? 2 + int(2) : 3;
    if (width === 0 && value < 24) return [m | value];
    if (width <= 1 && value < 256) return [m | 24, value];
    if (width <= 2 && value < 65_536) return [m | 25, value >> 8, value & 0xff];
    if (random() < 0.5) return [m | 26, ...be32(value)];
    return [m | 27, 0, 0, 0, 0, ...be32(value)];
  };
  const small = () => (random() < 0.8 ? int(5) : int(70_000));
  const text = (): number[] => {
    // Short and long, ASCII and not, and not UTF-8 at all: cbor-x reads each kind by another path.
    const bytes = [[], utf8("t"), utf8("body"), utf8("é✓𝄞"), [0xff, 0xfe], [0xed, 0xa0, 0x80], utf8("__proto__"), utf8("long ".repeat(30))][int(8)]!;
    return [...head(3, bytes.length), ...bytes];
  };
  const item = () => randomCbor(random, depth - 1);
  const key = () => (random() < 0.5 ? text() : random() < 0.3 ? head(int(2), small()) : item());
  const kind = depth <= 0 ? int(5) : int(12);
  switch (kind) {
    case 0:
      return head(int(2), small());
    case 1:
      return text();
    case 2: {
      const length = int(4);
      return [...head(2, length), ...Array.from({ length }, () => int(256))];
    }
    case 3:
      return [[0xf4], [0xf5], [0xf6], [0xf7], [0xf0], [0xf8, int(256)], [0xf9, int(256), int(256)], [0xfa, 0x7f, 0xc0, 0, 0], [0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]][int(9)]!;
    case 4:
      return [[0xff], [0x1c], [0x1f], [0x5f, 0xff], [0x7f, 0xff]][int(5)]!;
    case 5: {
      // An indefinite-length string: chunks, sometimes of the wrong type.
      const major = 2 + int(2);
      const chunks = Array.from({ length: int(3) }, () => (random() < 0.8 ? [...head(major, 1), 0x61] : text()));
      return [(major << 5) | 31, ...chunks.flat(), 0xff];
    }
    case 6: {
      const length = int(4);
      return [...head(4, length), ...Array.from({ length }, item).flat()];
    }
    case 7:
      return [0x9f, ...Array.from({ length: int(4) }, item).flat(), 0xff];
    case 8:
    case 9: {
      const length = int(4);
      return [...head(5, length), ...Array.from({ length }, () => [...key(), ...item()]).flat()];
    }
    case 10: {
      const pairs = Array.from({ length: int(4) }, () => [...key(), ...item()]).flat();
      return [0xbf, ...pairs, ...(random() < 0.2 ? key() : []), 0xff];
    }
    default:
      return [...head(6, [1, 2, 27, 28, 29, 51, 0xdfff][int(7)]!), ...item()];
  }
}

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
