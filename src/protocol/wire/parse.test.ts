import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "./codec.ts";
import { MAX_ENVELOPE } from "./limits.ts";
import { parseFrame, ProtocolError } from "./parse.ts";

function rejects(frame: Uint8Array, code: string, pattern: RegExp, requestId: unknown = null, maxFrame?: number) {
  assert.throws(
    () => parseFrame(frame, { maxFrame }),
    (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      assert.equal(error.requestId, requestId);
      return true;
    },
  );
}

describe("parseFrame()", () => {
  it("parses every message type", () => {
    const body = { id: new Uint8Array([1, 2]), nested: { list: [1, "a"] } };
    const req = parseFrame(encode({ t: "req", id: 7, to: "encryptor", op: "store", body, ttl: 500 }));
    assert.ok(req.t === "req");
    const { id, ...rest } = req.body as typeof body;
    assert.deepEqual(Uint8Array.from(id), body.id);
    assert.deepEqual({ ...req, body: rest }, { t: "req", id: 7, to: "encryptor", op: "store", body: { nested: body.nested }, ttl: 500 });
    assert.deepEqual(parseFrame(encode({ t: "res", id: "a1", body: null })), { t: "res", id: "a1", body: null });
    assert.deepEqual(parseFrame(encode({ t: "err", id: 3, code: "NOT_FOUND", message: "No", retryable: false })), {
      t: "err", id: 3, code: "NOT_FOUND", message: "No", retryable: false,
    });
    assert.deepEqual(parseFrame(encode({ t: "cancel", id: 3 })), { t: "cancel", id: 3 });
    assert.deepEqual(parseFrame(encode({ t: "cancel", id: 3, code: "TIMEOUT" })), { t: "cancel", id: 3, code: "TIMEOUT" });
    // Never refused, which would answer a request still in flight: any other code cancels.
    assert.deepEqual(parseFrame(encode({ t: "cancel", id: 3, code: "SOMETHING" })), { t: "cancel", id: 3 });
    assert.deepEqual(parseFrame(encode({ t: "cancel", id: 3, code: 7 })), { t: "cancel", id: 3 });
    assert.deepEqual(parseFrame(encode({ t: "drain" })), { t: "drain" });
    assert.deepEqual(parseFrame(encode({ t: "hello", token: "x", role: "storage", name: "s", concurrency: 4 })), {
      t: "hello", token: "x", role: "storage", name: "s", concurrency: 4,
    });
    assert.deepEqual(
      parseFrame(encode({ t: "welcome", id: "c", maxFrame: 10, maxPayload: 5, maxId: 3, maxInFlight: 2 })),
      { t: "welcome", id: "c", maxFrame: 10, maxPayload: 5, maxId: 3, maxInFlight: 2 },
    );
    assert.deepEqual(
      parseFrame(encode({ t: "welcome", id: "c", maxFrame: 10, maxPayload: 5, maxId: 3, maxInFlight: 2, heartbeat: 500 })),
      { t: "welcome", id: "c", maxFrame: 10, maxPayload: 5, maxId: 3, maxInFlight: 2, heartbeat: 500 },
    );
  });

  it("decodes byte strings as views of the frame, without a copy", () => {
    const frame = encode({ t: "res", id: 1, body: { value: new Uint8Array(100).fill(7) } });
    const message = parseFrame(frame);
    const value = (message as { body: { value: Uint8Array } }).body.value;
    assert.equal(value.buffer, frame.buffer);
  });

  it("refuses bytes that are not CBOR, and CBOR that is not a map", () => {
    rejects(new Uint8Array([0xff, 0x00]), "BAD_REQUEST", /not valid CBOR/);
    rejects(new Uint8Array(), "BAD_REQUEST", /not valid CBOR/);
    rejects(encode([1, 2]), "BAD_REQUEST", /not a CBOR map/);
    rejects(encode("req"), "BAD_REQUEST", /not a CBOR map/);
    rejects(encode(new Uint8Array([1])), "BAD_REQUEST", /not a CBOR map/);
    rejects(encode(null), "BAD_REQUEST", /not a CBOR map/);
  });

  it("refuses a frame cut anywhere", () => {
    const frame = encode({ t: "req", id: 1, to: "encryptor", op: "store", body: { payload: new Uint8Array(40) } });
    for (let end = 0; end < frame.length; end++) {
      assert.throws(() => parseFrame(frame.subarray(0, end)), ProtocolError, `cut at ${end}`);
    }
  });

  it("refuses byte-string lengths past the end of the frame", () => {
    // map(1) "t" bytes(2^32-1) with nothing after it
    rejects(new Uint8Array([0xa1, 0x61, 0x74, 0x5a, 0xff, 0xff, 0xff, 0xff]), "BAD_REQUEST", /CBOR/);
  });

  it("refuses unknown types and says which, keeping no id: only a request can be answered", () => {
    rejects(encode({ t: "bogus", id: 1 }), "BAD_REQUEST", /Unknown message type "bogus"/);
    rejects(encode({ id: 1 }), "BAD_REQUEST", /Unknown message type of type undefined/);
    // Answered under its id, any other frame would settle the receiver's own request of that id.
    rejects(encode({ t: "hello", id: 1, concurrency: 0 }), "BAD_REQUEST", /"concurrency"/);
    rejects(encode({ t: "welcome", id: 1 }), "BAD_REQUEST", /"id"/);
  });

  it("names the bad field of a request and keeps its id for the answer", () => {
    rejects(encode({ t: "req", id: 9, op: "store", body: {} }), "BAD_REQUEST", /"to"/, 9);
    rejects(encode({ t: "req", id: 9, to: "Bad Role", op: "store" }), "BAD_REQUEST", /"to"/, 9);
    rejects(encode({ t: "req", id: 9, to: "encryptor", op: 5 }), "BAD_REQUEST", /"op"/, 9);
    rejects(encode({ t: "req", id: 9, to: "encryptor", op: "x", ttl: -1 }), "BAD_REQUEST", /"ttl"/, 9);
    rejects(encode({ t: "req", id: 9, to: "encryptor", op: "x", ttl: 1.5 }), "BAD_REQUEST", /"ttl"/, 9);
    rejects(encode({ t: "req", to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(encode({ t: "req", id: -1, to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(encode({ t: "req", id: "x".repeat(129), to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(encode({ t: "req", id: { a: 1 }, to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(encode({ t: "hello", concurrency: 0 }), "BAD_REQUEST", /"concurrency"/);
    rejects(encode({ t: "hello", token: "x".repeat(2000) }), "BAD_REQUEST", /"token"/);
  });

  it("refuses tagged values before the decoder builds them", () => {
    // map(2) "t" "res" "body" tag(28) [tag(29) 0]: a cycle the broker would otherwise re-encode
    const frame = new Uint8Array([0xa2, 0x61, 0x74, 0x63, ...new TextEncoder().encode("res"), 0x64,
      ...new TextEncoder().encode("body"), 0xd8, 0x1c, 0x81, 0xd8, 0x1d, 0x00]);
    rejects(frame, "BAD_REQUEST", /not valid CBOR/);
  });

  it("keeps the id of a request whose envelope decodes but whose body does not, with the body cut out or not", () => {
    const frame = (envelope: Record<string, unknown>, body: number[]) => {
      const head = encode({ ...envelope, body: null });
      return Uint8Array.from([...head.subarray(0, -1), ...body]);
    };
    const bodies = [[0xa1, 0x41, 0x01, 0x01], [0x5f, 0x41, 0x01, 0xff], [0xc1, 0x00], [0xd8, 0x1c, 0x81, 0xd8, 0x1d, 0x00], [0xf0]];
    for (const rawBody of [false, true]) {
      const parses = (bytes: Uint8Array, requestId: unknown, pattern: RegExp) =>
        assert.throws(() => parseFrame(bytes, { rawBody }), (error: unknown) => {
          assert.ok(error instanceof ProtocolError);
          assert.equal(error.code, "BAD_REQUEST");
          assert.match(error.message, pattern);
          assert.equal(error.requestId, requestId);
          return true;
        }, `${Buffer.from(bytes).toString("hex")}, rawBody ${rawBody}`);
      for (const body of bodies) {
        parses(frame({ t: "req", id: 9, to: "encryptor", op: "store" }, body), 9, /^Invalid field "body": not CBOR of the protocol's data model$/);
        parses(frame({ t: "req", id: "r1", to: "encryptor", op: "store", ttl: 50 }, body), "r1", /Invalid field "body"/);
        // Only a request is answered: an answer with a bad body is the connection's fault.
        parses(frame({ t: "res", id: 9 }, body), null, /not valid CBOR/);
        parses(frame({ t: "req", id: -1, to: "encryptor", op: "store" }, body), null, /not valid CBOR/);
        // The envelope is at fault too: a field after the body holds a tag.
        const followed = frame({ t: "req", id: 9, to: "encryptor", op: "store" }, [...body, 0x61, 0x78, 0xc1, 0x00]);
        assert.equal(followed[0], 0xb9); // cbor-x writes the size of a map in two bytes
        followed[2]! += 1; // one more pair
        parses(followed, null, /not valid CBOR/);
      }
      // Not well-formed: no envelope can be read.
      parses(frame({ t: "req", id: 9, to: "encryptor", op: "store" }, [0xbf, 0x61, 0x74, 0xff]), null, /not valid CBOR/);
    }
  });

  it("with rawBody, refuses an envelope over MAX_ENVELOPE before decoding it, whatever the size of the body", () => {
    const tooLarge = (frame: Uint8Array, size: number) =>
      assert.throws(() => parseFrame(frame, { rawBody: true }), (error: unknown) => {
        assert.ok(error instanceof ProtocolError);
        assert.equal(error.code, "TOO_LARGE");
        assert.equal(error.message, `Envelope of ${size} bytes is over the limit of ${MAX_ENVELOPE}`);
        assert.equal(error.requestId, null);
        return true;
      });
    // The envelope is the frame with a null in the body's place.
    const request = (pad: number, body: unknown) => ({ t: "req", id: 1, to: "encryptor", op: "store", pad: "x".repeat(pad), body });
    let pad = MAX_ENVELOPE - 100;
    while (encode(request(pad, null)).byteLength < MAX_ENVELOPE) pad++;
    assert.equal(encode(request(pad, null)).byteLength, MAX_ENVELOPE);
    const body = new Uint8Array(1 << 20);
    const fits = parseFrame(encode(request(pad, body)), { rawBody: true });
    assert.equal(fits.t === "req" && (fits.body as { bytes: Uint8Array }).bytes.byteLength, body.byteLength + 5);
    tooLarge(encode(request(pad + 1, body)), MAX_ENVELOPE + 1);
    tooLarge(encode(request(pad + 1, null)), MAX_ENVELOPE + 1);
    // Without a body, the whole frame is the envelope.
    const cancel = encode({ t: "cancel", id: 1, junk: new Array(MAX_ENVELOPE).fill(0) });
    tooLarge(cancel, cancel.byteLength);
    // Never decoded: decoding would have found the type unknown.
    const bogus = encode({ t: "bogus", id: 1, junk: new Array(100_000).fill(0), body: null });
    tooLarge(bogus, bogus.byteLength);
    // A receiver that decodes everything it gets from the broker has no such limit.
    const err = parseFrame(encode({ t: "err", id: 1, code: "INTERNAL", message: "x".repeat(MAX_ENVELOPE * 2) }));
    assert.equal(err.t === "err" && err.message.length, 1024);
  });

  it("refuses a frame over the limit before decoding it", () => {
    rejects(new Uint8Array(101), "TOO_LARGE", /101 bytes is over the limit of 100/, null, 100);
  });

  it("maps an unknown error code to INTERNAL rather than trusting it", () => {
    const message = parseFrame(encode({ t: "err", id: 1, code: "toString", message: "m" }));
    assert.deepEqual(message, { t: "err", id: 1, code: "INTERNAL", message: "m", retryable: false });
  });

  it("does not let a __proto__ key reach the prototype", () => {
    // map(2) "t" "drain" "__proto__" map(1) "polluted" true
    const frame = new Uint8Array([
      0xa2, 0x61, 0x74, 0x65, ...new TextEncoder().encode("drain"),
      0x69, ...new TextEncoder().encode("__proto__"), 0xa1, 0x68, ...new TextEncoder().encode("polluted"), 0xf5,
    ]);
    assert.deepEqual(parseFrame(frame), { t: "drain" });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
