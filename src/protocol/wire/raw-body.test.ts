import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { locateBody } from "./cbor-check.ts";
import { decode, encode, encodeParts } from "./codec.ts";
import { parseFrame } from "./parse.ts";
import { RawBody } from "./raw-body.ts";

const bodyOf = (frame: Uint8Array) => {
  const span = locateBody(frame);
  return span && decode(frame.subarray(span.start, span.end));
};

describe("locateBody()", () => {
  it("finds the body wherever it stands in the map, and only at the top level", () => {
    assert.deepEqual(bodyOf(encode({ t: "res", id: 1, body: { a: [1, "x"] } })), { a: [1, "x"] });
    assert.deepEqual(bodyOf(encode({ body: [1, 2], t: "res", id: 1 })), [1, 2]);
    assert.equal(bodyOf(encode({ t: "res", id: 1, inner: { body: 1 } })), undefined);
    assert.equal(bodyOf(encode([{ body: 1 }])), undefined);
    assert.equal(bodyOf(encode({ t: "drain" })), undefined);
  });

  it("takes the last of two body keys, as the decoder does", () => {
    // map(2) "body" 1 "body" 2
    const frame = new Uint8Array([0xa2, 0x64, 0x62, 0x6f, 0x64, 0x79, 0x01, 0x64, 0x62, 0x6f, 0x64, 0x79, 0x02]);
    assert.equal(bodyOf(frame), 2);
    assert.equal((decode(frame) as { body: number }).body, 2);
  });

  it("finds a body in maps and values of indefinite length", () => {
    // map(*) "t" "res" "body" array(*) 1 2 break break
    const frame = new Uint8Array([0xbf, 0x61, 0x74, 0x63, 0x72, 0x65, 0x73, 0x64, 0x62, 0x6f, 0x64, 0x79, 0x9f, 0x01, 0x02, 0xff, 0xff]);
    assert.deepEqual(bodyOf(frame), [1, 2]);
  });
});

describe("parseFrame() with rawBody", () => {
  it("keeps the body as its bytes and decodes the envelope alone", () => {
    const body = { id: new Uint8Array([1, 2, 3]), payload: new Uint8Array(10_000).fill(9) };
    const frame = encode({ t: "req", id: 4, to: "encryptor", op: "store", body, ttl: 50 });
    const message = parseFrame(frame, { rawBody: true });
    assert.ok(message.t === "req" && message.body instanceof RawBody);
    assert.equal(message.body.bytes.buffer, frame.buffer, "a view of the frame, not a copy");
    assert.deepEqual(message.body.bytes, encode(body));
    assert.equal(message.ttl, 50);
  });

  it("passes a body on unchanged: the forwarded frame decodes to the same body", () => {
    const body = { key: new Uint8Array(32).fill(7), list: [1, "two", null] };
    const message = parseFrame(encode({ t: "res", id: 9, body }), { rawBody: true });
    assert.ok(message.t === "res");
    const forwarded = { ...message, id: 3 };
    const parts = encodeParts(forwarded);
    assert.equal(parts.length, 2);
    const joined = encode(forwarded);
    assert.deepEqual(Uint8Array.from(joined), Uint8Array.from([...parts[0]!, ...parts[1]!]));
    const again = parseFrame(joined);
    assert.ok(again.t === "res");
    assert.equal(again.id, 3);
    assert.deepEqual(Uint8Array.from(encode(again.body)), Uint8Array.from(encode(body)));
  });

  it("still refuses a malformed body, and names the request", () => {
    // A well-formed envelope whose body uses a tag.
    const head = encode({ t: "req", id: 5, to: "encryptor", op: "store", body: null });
    const frame = Uint8Array.from([...head.subarray(0, head.length - 1), 0xc1, 0x00]);
    assert.throws(() => parseFrame(frame, { rawBody: true }), { code: "BAD_REQUEST" });
  });
});
