import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cbor, frame } from "../../../test/_helpers/frames.ts";
import { encodeBody } from "./codec.ts";
import { encodeFrame } from "./frame-writer.ts";
import { MAX_ENVELOPE } from "./limits.ts";
import type { Message } from "./messages.ts";
import { parseFrame, type ParseOptions, parseOne, ProtocolError } from "./parse.ts";

/** Everything parseFrame hands over, in order. */
function parse(bytes: Uint8Array, options?: ParseOptions) {
  const seen: ({ message: Message; size: number } | { invalid: ProtocolError })[] = [];
  parseFrame(bytes, { message: (message, size) => seen.push({ message, size }), invalid: (error) => seen.push({ invalid: error }) }, options);
  return seen;
}

function rejects(bytes: Uint8Array, code: string, pattern: RegExp, options?: ParseOptions) {
  assert.throws(
    () => parseFrame(bytes, { message() {}, invalid() {} }, options),
    (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      assert.equal(error.requestId, null);
      return true;
    },
  );
}

const body = encodeBody({ id: new Uint8Array([1, 2]) });

describe("parseFrame()", () => {
  it("reads every message type", () => {
    const messages: Message[] = [
      { t: "req", id: 7, to: "encryptor", op: "store", body, ttl: 500 },
      { t: "req", id: "r1", to: "storage", op: "put", body, tenant: "acme" },
      { t: "res", id: "a1", body },
      { t: "err", id: 3, code: "NOT_FOUND", message: "No", retryable: false },
      { t: "err", id: null, code: "UNAUTHENTICATED", message: "Who", retryable: false },
      { t: "cancel", id: 3 },
      { t: "cancel", id: 3, code: "TIMEOUT" },
      { t: "drain" },
      { t: "hello", token: "x", role: "storage", name: "s", concurrency: 4 },
      { t: "welcome", id: "c", maxFrame: 10, maxPayload: 5, maxId: 3, maxInFlight: 2, heartbeat: 500 },
    ];
    for (const message of messages) {
      const [read] = parse(encodeFrame(message));
      assert.ok(read && "message" in read);
      const { body: readBody, ...rest } = read.message as Message & { body?: Uint8Array };
      const { body: sentBody, ...sent } = message as Message & { body?: Uint8Array };
      assert.deepEqual(rest, sent);
      if (sentBody) assert.deepEqual(Uint8Array.from(readBody!), Uint8Array.from(sentBody));
    }
  });

  it("reads several messages of one frame in order, each with its size", () => {
    const bytes = encodeFrame({ t: "cancel", id: 1 }, { t: "req", id: 2, to: "encryptor", op: "store", body }, { t: "drain" });
    const seen = parse(bytes);
    assert.deepEqual(seen.map((s) => ("message" in s ? s.message.t : "invalid")), ["cancel", "req", "drain"]);
    assert.equal(seen.reduce((sum, s) => sum + ("size" in s ? s.size : 0), 0), bytes.length);
  });

  it("takes a body as a view of the frame, its contents never looked at", () => {
    const notCbor = new Uint8Array(100_000).fill(0xff);
    const bytes = encodeFrame({ t: "res", id: 1, body: notCbor });
    const [read] = parse(bytes);
    assert.ok(read && "message" in read && read.message.t === "res");
    assert.equal(read.message.body.buffer, bytes.buffer);
    assert.equal(read.message.body.byteLength, notCbor.byteLength);
  });

  it("reads a missing or null body as the empty body", () => {
    for (const bytes of [frame({ t: "res", id: 1 }), cbor({ t: "res", id: 1, body: null })]) {
      const [read] = parse(bytes);
      assert.ok(read && "message" in read && read.message.t === "res");
      assert.equal(read.message.body.byteLength, 0);
    }
  });

  it("hands over an invalid request with its id and goes on with the frame", () => {
    const bytes = frame(
      { t: "req", id: 9, to: "Bad Role", op: "store", body: null },
      { t: "req", id: 10, to: "encryptor", op: "store", ttl: -1, body: null },
      { t: "cancel", id: 11 },
    );
    const seen = parse(bytes);
    assert.equal(seen.length, 3);
    const [first, second, third] = seen;
    assert.ok(first && "invalid" in first && first.invalid.requestId === 9);
    assert.match(first.invalid.message, /"to"/);
    assert.ok(second && "invalid" in second && second.invalid.requestId === 10);
    assert.match(second.invalid.message, /"ttl"/);
    assert.ok(third && "message" in third && third.message.t === "cancel");
  });

  it("names the bad field of a request, keeping its id, and refuses a body that is not a byte string", () => {
    const invalid = (message: Record<string, unknown>, pattern: RegExp) => {
      const [read] = parse(cbor(message));
      assert.ok(read && "invalid" in read, JSON.stringify(message));
      assert.equal(read.invalid.code, "BAD_REQUEST");
      assert.match(read.invalid.message, pattern);
    };
    invalid({ t: "req", id: 9, op: "store" }, /"to"/);
    invalid({ t: "req", id: 9, to: "encryptor", op: 5 }, /"op"/);
    invalid({ t: "req", id: 9, to: "encryptor", op: "x", ttl: 1.5 }, /"ttl"/);
    invalid({ t: "req", id: 9, to: "encryptor", op: "x", body: "text" }, /"body": expected a byte string/);
    invalid({ t: "req", id: 9, to: "encryptor", op: "x", body: 5 }, /"body"/);
  });

  it("ends the frame on a message that is not a request and is invalid, or a request without a usable id", () => {
    rejects(cbor({ t: "req", to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(cbor({ t: "req", id: -1, to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(cbor({ t: "req", id: "x".repeat(129), to: "encryptor", op: "x" }), "BAD_REQUEST", /"id"/);
    rejects(cbor({ t: "hello", concurrency: 0 }), "BAD_REQUEST", /"concurrency"/);
    rejects(cbor({ t: "hello", token: "x".repeat(2000) }), "BAD_REQUEST", /"token"/);
    rejects(cbor({ t: "welcome", id: 1 }), "BAD_REQUEST", /"id"/);
    rejects(cbor({ t: "res", id: 1, body: "text" }), "BAD_REQUEST", /"body"/);
    rejects(cbor({ t: "bogus", id: 1 }), "BAD_REQUEST", /Unknown message type "bogus"/);
    rejects(cbor({ id: 1 }), "BAD_REQUEST", /Unknown message type of type undefined/);
  });

  it("ends the frame on anything but a map of plain values", () => {
    rejects(new Uint8Array(), "BAD_REQUEST", /empty/);
    rejects(new Uint8Array([0xff, 0x00]), "BAD_REQUEST", /not a CBOR map/);
    rejects(cbor([1, 2]), "BAD_REQUEST", /not a CBOR map/);
    rejects(cbor("req"), "BAD_REQUEST", /not a CBOR map/);
    rejects(cbor(null), "BAD_REQUEST", /not a CBOR map/);
    // An indefinite-length map, a nested array or map, a tag, a key that is not text.
    rejects(new Uint8Array([0xbf, 0x61, 0x74, 0x65, ...new TextEncoder().encode("drain"), 0xff]), "BAD_REQUEST", /indefinite/);
    rejects(cbor({ t: "req", id: 1, to: "encryptor", op: "x", body: [1] }), "BAD_REQUEST", /"body": expected a plain value/);
    rejects(cbor({ t: "drain", extra: { a: 1 } }), "BAD_REQUEST", /"extra": expected a plain value/);
    rejects(new Uint8Array([0xa1, 0x61, 0x74, 0xc1, 0x00]), "BAD_REQUEST", /"t": expected a plain value/);
    rejects(new Uint8Array([0xa1, 0x01, 0x02]), "BAD_REQUEST", /keys must be text/);
    // A second message after a good one: the good one was handed over first.
    const seen: string[] = [];
    assert.throws(() => parseFrame(Uint8Array.from([...frame({ t: "drain" }), 0x80]), { message: (m) => seen.push(m.t), invalid() {} }), ProtocolError);
    assert.deepEqual(seen, ["drain"]);
  });

  it("ends the frame on one cut anywhere", () => {
    const bytes = encodeFrame({ t: "req", id: 1, to: "encryptor", op: "store", body: new Uint8Array(40) }, { t: "cancel", id: 2 });
    const first = encodeFrame({ t: "req", id: 1, to: "encryptor", op: "store", body: new Uint8Array(40) }).length;
    for (let end = 1; end < bytes.length; end++) {
      if (end === first) continue;
      assert.throws(() => parseFrame(bytes.subarray(0, end), { message() {}, invalid() {} }), ProtocolError, `cut at ${end}`);
    }
  });

  it("refuses lengths past the end of the frame without reading them", () => {
    // map(1) "t" bytes(2^32-1) with nothing after it, and the same with a length of 2^64-1
    rejects(new Uint8Array([0xa1, 0x61, 0x74, 0x5a, 0xff, 0xff, 0xff, 0xff]), "TOO_LARGE", /Envelope/);
    rejects(new Uint8Array([0xa1, 0x64, ...new TextEncoder().encode("body"), 0x5a, 0xff, 0xff, 0xff, 0xff]), "BAD_REQUEST", /ends inside/);
    rejects(new Uint8Array([0xa1, 0x61, 0x74, 0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), "BAD_REQUEST", /too large/);
  });

  it("counts a message less its body against MAX_ENVELOPE, before decoding what lies past the limit", () => {
    const request = (pad: number, padBody: Uint8Array) => ({ t: "req", id: 1, to: "encryptor", op: "store", pad: "x".repeat(pad), body: padBody });
    const big = new Uint8Array(1 << 20);
    let pad = MAX_ENVELOPE - 100;
    while (cbor(request(pad, new Uint8Array(0))).byteLength < MAX_ENVELOPE) pad++;
    // One byte of the body's head grows with its length: the envelope is all but the body's contents.
    const fits = parse(cbor(request(pad - 4, big)));
    assert.ok(fits[0] && "message" in fits[0]);
    rejects(cbor(request(pad + 1, big)), "TOO_LARGE", new RegExp(`over the limit of ${MAX_ENVELOPE}`));
    // An unknown key's text and a byte string that is not a body count too, and are never decoded.
    rejects(cbor({ t: "drain", junk: "x".repeat(MAX_ENVELOPE) }), "TOO_LARGE", /Envelope of at least/);
    rejects(cbor({ t: "drain", junk: new Uint8Array(MAX_ENVELOPE) }), "TOO_LARGE", /Envelope of at least/);
    // A receiver may take larger envelopes: the client reads errors of any length, cut to 1024 characters.
    const err = parseOne(cbor({ t: "err", id: 1, code: "INTERNAL", message: "x".repeat(MAX_ENVELOPE * 2) }), { maxEnvelope: Number.MAX_SAFE_INTEGER });
    assert.equal(err.t === "err" && err.message.length, 1024);
  });

  it("refuses a frame over the limit before reading it", () => {
    rejects(new Uint8Array(101), "TOO_LARGE", /101 bytes is over the limit of 100/, { maxFrame: 100 });
  });

  it("skips keys it does not know, so that a newer peer may add some", () => {
    const [read] = parse(cbor({ t: "cancel", id: 4, since: 1.5, hint: "x", flag: true, bytes: new Uint8Array(3), nothing: null }));
    assert.ok(read && "message" in read);
    assert.deepEqual(read.message, { t: "cancel", id: 4 });
  });

  it("refuses a key given twice, answering a request of it", () => {
    // map(5) "t" "req" "id" 1 "to" "encryptor" "op" "x" "op" "y"
    const key = (k: string) => [0x60 + k.length, ...new TextEncoder().encode(k)];
    const bytes = Uint8Array.from([0xa5, ...key("t"), ...key("req"), ...key("id"), 0x01, ...key("to"), ...key("encryptor"), ...key("op"), ...key("x"), ...key("op"), ...key("y")]);
    const [read] = parse(bytes);
    assert.ok(read && "invalid" in read);
    assert.equal(read.invalid.requestId, 1);
    assert.match(read.invalid.message, /"op" appears twice/);
  });

  it("never cancels with a code other than TIMEOUT: any other code cancels", () => {
    assert.deepEqual(parseOne(cbor({ t: "cancel", id: 3, code: "SOMETHING" })), { t: "cancel", id: 3 });
    assert.deepEqual(parseOne(cbor({ t: "cancel", id: 3, code: 7 })), { t: "cancel", id: 3 });
  });

  it("maps an unknown error code to INTERNAL rather than trusting it", () => {
    assert.deepEqual(parseOne(cbor({ t: "err", id: 1, code: "toString", message: "m" })), { t: "err", id: 1, code: "INTERNAL", message: "m", retryable: false });
  });

  it("does not let a __proto__ key reach the prototype", () => {
    const bytes = cbor(Object.defineProperty({ t: "drain" }, "__proto__", { value: "polluted", enumerable: true }));
    assert.deepEqual(parseOne(bytes), { t: "drain" });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("reads texts in UTF-8 and refuses a text that is not", () => {
    const name = "ünïcödé ✓ 𝄞 and a long tail to go past the short path";
    assert.deepEqual(parseOne(encodeFrame({ t: "hello", name })), { t: "hello", name });
    rejects(new Uint8Array([0xa1, 0x61, 0x74, 0x62, 0xc3, 0x28]), "BAD_REQUEST", /not UTF-8/);
  });
});

describe("parseOne()", () => {
  it("refuses a frame of more than one message", () => {
    assert.throws(() => parseOne(encodeFrame({ t: "drain" }, { t: "drain" })), /one message, got 2/);
  });
});
