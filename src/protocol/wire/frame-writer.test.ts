import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../../../test/_helpers/fuzz-frames.ts";
import { encodeFrame, FrameWriter, joinParts, LARGE_BODY } from "./frame-writer.ts";
import type { Message } from "./messages.ts";
import { parseFrame } from "./parse.ts";

function messagesOf(bytes: Uint8Array): Message[] {
  const out: Message[] = [];
  parseFrame(bytes, { message: (m) => out.push(m), invalid: (e) => assert.fail(e.message) }, { maxFrame: Number.MAX_SAFE_INTEGER });
  return out;
}

const plain = (messages: Message[]) =>
  messages.map((m) => ("body" in m ? { ...m, body: [...m.body] } : m));

describe("FrameWriter", () => {
  it("packs messages into one part, and hands each frame over once", () => {
    const writer = new FrameWriter();
    const messages: Message[] = [{ t: "cancel", id: 1 }, { t: "res", id: 2, body: new Uint8Array([1, 2, 3]) }, { t: "drain" }];
    let sizes = 0;
    for (const message of messages) sizes += writer.add(message);
    assert.equal(writer.count, 3);
    assert.equal(writer.size, sizes);
    const parts = writer.take();
    assert.equal(parts.length, 1);
    assert.equal(parts[0]!.byteLength, sizes);
    assert.deepEqual(plain(messagesOf(parts[0]!)), plain(messages));
    assert.deepEqual(writer.take(), []);
    assert.equal(writer.size, 0);
  });

  it("sends a large body as a part of its own, the very array it was given", () => {
    const writer = new FrameWriter();
    const large = new Uint8Array(LARGE_BODY).fill(9);
    writer.add({ t: "cancel", id: 1 });
    writer.add({ t: "res", id: 2, body: large });
    writer.add({ t: "cancel", id: 3 });
    const parts = writer.take();
    assert.equal(parts.length, 3);
    assert.equal(parts[1], large);
    assert.deepEqual(messagesOf(joinParts(parts)).map((m) => m.t), ["cancel", "res", "cancel"]);
  });

  it("never changes bytes it handed over, however much it writes after", () => {
    const writer = new FrameWriter();
    writer.add({ t: "res", id: 1, body: new Uint8Array(1000).fill(1) });
    const [first] = writer.take();
    const copy = Uint8Array.from(first!);
    for (let i = 0; i < 500; i++) writer.add({ t: "res", id: i, body: new Uint8Array(900).fill(2) });
    writer.take();
    assert.deepEqual(first, copy);
  });

  it("uses a slab again once every frame cut from it was written, and never one with a frame still unwritten", () => {
    const writer = new FrameWriter();
    const body = new Uint8Array(1000);
    const held: { parts: Uint8Array[]; copy: Uint8Array }[] = [];
    const slabs = new Set<ArrayBufferLike>();
    for (let i = 0; i < 2000; i++) {
      writer.add({ t: "res", id: i, body: body.fill(i % 251) });
      const parts = writer.take();
      slabs.add(parts[0]!.buffer);
      // Some early frames stay unwritten for the rest of the test, as on a slow socket.
      if (i < 100 && i % 10 === 0) held.push({ parts, copy: Uint8Array.from(parts[0]!) });
      else writer.written(parts);
    }
    for (const { parts, copy } of held) assert.deepEqual(parts[0], copy);
    // Without reuse, 2,000 frames of about 1 KiB take some thirty slabs of 64 KiB; with it, the
    // slabs that grew to 64 KiB (1, 2, … 64 KiB, all holding unwritten frames) and two in turn.
    assert.ok(slabs.size <= 9, `${slabs.size} slabs`);
  });

  it("keeps a frame larger than its slab whole", () => {
    const writer = new FrameWriter();
    const messages: Message[] = Array.from({ length: 300 }, (_, i) => ({ t: "res", id: i, body: new Uint8Array(1000).fill(i % 256) }));
    for (const message of messages) writer.add(message);
    const parts = writer.take();
    assert.equal(parts.length, 1);
    assert.deepEqual(plain(messagesOf(parts[0]!)), plain(messages));
  });

  it("writes what the parser reads back, for every field type and length", () => {
    const random = seededRandom(7);
    const text = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(random() < 0.8 ? 0x61 + Math.floor(random() * 26) : 0xe9 + Math.floor(random() * 2000))).join("");
    for (let n = 0; n < 300; n++) {
      const message: Message = {
        t: "err",
        id: random() < 0.5 ? Math.floor(random() * 2 ** 53) : text(1 + Math.floor(random() * 100)),
        code: "INTERNAL",
        message: text(Math.floor(random() * 400)),
        retryable: random() < 0.5,
      };
      assert.deepEqual(messagesOf(encodeFrame(message)), [message]);
    }
    for (const id of [0, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      assert.deepEqual(messagesOf(encodeFrame({ t: "cancel", id })), [{ t: "cancel", id }]);
    }
  });

  it("refuses a field that is not a plain value", () => {
    assert.throws(() => new FrameWriter().add({ t: "cancel", id: 1, extra: { nested: true } } as unknown as Message), TypeError);
    assert.throws(() => new FrameWriter().add({ t: "res", id: 1, body: "text" } as unknown as Message), TypeError);
  });
});
