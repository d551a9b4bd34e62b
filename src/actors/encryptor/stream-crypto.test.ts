import assert from "node:assert/strict";
import { createHash, webcrypto } from "node:crypto";
import { describe, it } from "node:test";
import { associatedData, deriveKeys } from "./crypto.ts";
import { DamagedStreamError, openChunks, sealChunks } from "./stream-chunks.ts";
import {
  STREAM_HEADER_LENGTH,
  STREAM_VERSION,
  StreamOpener,
  StreamSealer,
  streamOverhead,
  streamPlaintextLength,
} from "./stream-crypto.ts";

const text = (s: string) => new TextEncoder().encode(s);
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const id = text("backup.tar");
const tenant = text("acme");
const { encKey } = deriveKeys(key, tenant, id);
const aad = associatedData(tenant, id, STREAM_VERSION);
const prefix = Uint8Array.from([0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6]);

async function* from(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function all(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(Uint8Array.from(part));
  return Buffer.concat(parts);
}

async function sealedPieces(plaintext: Uint8Array, chunkSize: number, cuts = [plaintext.length]): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const cut of cuts) {
    parts.push(plaintext.subarray(at, cut));
    at = cut;
  }
  const out: Uint8Array[] = [];
  for await (const piece of sealChunks(from(...parts), new StreamSealer(encKey, aad, chunkSize, prefix))) out.push(Uint8Array.from(piece));
  return out;
}

async function rejectsAsDamaged(source: AsyncIterable<Uint8Array>, message: string): Promise<void> {
  await assert.rejects(all(openChunks(source, encKey, aad)), DamagedStreamError, message);
}

describe("stream cryptography", () => {
  it("matches the formula, chunk by chunk, as WebCrypto's AES-GCM computes it", async () => {
    const plaintext = Uint8Array.from({ length: 250 }, (_, i) => i);
    const pieces = await sealedPieces(plaintext, 100);
    const header = pieces[0]!;
    assert.deepEqual([...header], [2, 1, 0, 0, 0, 100, ...prefix]);
    const aes = await webcrypto.subtle.importKey("raw", encKey, "AES-GCM", false, ["encrypt"]);
    for (const [i, last, from, to] of [[0, 0, 0, 100], [1, 0, 100, 200], [2, 1, 200, 250]] as const) {
      const nonce = Uint8Array.from([...prefix, 0, 0, 0, i, last]);
      const expected = new Uint8Array(await webcrypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce, additionalData: Buffer.concat([aad, header]), tagLength: 128 },
        aes,
        plaintext.subarray(from, to),
      ));
      assert.deepEqual(pieces[i + 1], expected, `chunk ${i}`);
    }
    assert.equal(pieces.length, 4);
  });

  it("pins a value to fixed bytes, so that a change of format cannot go unnoticed", async () => {
    const pieces = await sealedPieces(text("attack at dawn, in chunks"), 8);
    assert.equal(createHash("sha256").update(Buffer.concat(pieces)).digest("hex"), "f9eb0bcff10cd5239039e731decb572dcb8afed51cc956039414b6cc089dfc69");
  });

  it("gives back the plaintext, whatever the sizes it was written and read in", async () => {
    for (const length of [0, 1, 99, 100, 101, 200, 1000]) {
      const plaintext = Uint8Array.from({ length }, (_, i) => (i * 7) % 256);
      const cuts = length > 3 ? [1, Math.floor(length / 2), length] : [length];
      const value = Buffer.concat(await sealedPieces(plaintext, 100, cuts));
      assert.equal(value.length, length + streamOverhead(length, 100), `length ${length}`);
      assert.equal(streamPlaintextLength(value.length, 100), length);
      // Read back as one piece, byte by byte, and in pieces of 37.
      assert.deepEqual(await all(openChunks(from(value), encKey, aad)), Buffer.from(plaintext));
      assert.deepEqual(await all(openChunks(from(...[...value].map((b) => Uint8Array.of(b))), encKey, aad)), Buffer.from(plaintext));
      const by37 = Array.from({ length: Math.ceil(value.length / 37) }, (_, i) => value.subarray(i * 37, i * 37 + 37));
      assert.deepEqual(await all(openChunks(from(...by37), encKey, aad)), Buffer.from(plaintext));
    }
  });

  it("refuses a value whose chunks were reordered, dropped, repeated or cut, or changed by one bit", async () => {
    const plaintext = Uint8Array.from({ length: 350 }, (_, i) => i % 256);
    const [header, ...chunks] = await sealedPieces(plaintext, 100);
    assert.equal(chunks.length, 4);
    const value = (...parts: Uint8Array[]) => from(header!, ...parts);
    const [c0, c1, c2, c3] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    await rejectsAsDamaged(value(c1, c0, c2, c3), "reordered");
    await rejectsAsDamaged(value(c0, c2, c3), "a chunk dropped");
    await rejectsAsDamaged(value(c0, c1, c1, c2, c3), "a chunk repeated");
    await rejectsAsDamaged(value(c0, c1, c2), "cut after a chunk");
    await rejectsAsDamaged(value(c0, c1, c2, c3.subarray(0, c3.length - 1)), "cut inside the last chunk");
    await rejectsAsDamaged(value(c0, c1, c2, c3, Uint8Array.of(0)), "a byte appended");
    await rejectsAsDamaged(from(header!.subarray(0, 5)), "cut inside the header");
    for (let bit = 0; bit < 8 * (header!.length + c0.length); bit += 13) {
      const flipped = Buffer.concat([header!, c0, c1, c2, c3]);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      await rejectsAsDamaged(from(flipped), `bit ${bit} flipped`);
    }
  });

  it("refuses a value sealed for another id, tenant or key, and one whose last chunk is sealed as not last", async () => {
    const plaintext = text("bound to its id");
    const pieces = await sealedPieces(plaintext, 100);
    await assert.rejects(all(openChunks(from(...pieces), encKey, associatedData(tenant, text("other"), STREAM_VERSION))), DamagedStreamError);
    await assert.rejects(all(openChunks(from(...pieces), encKey, associatedData(text("other"), id, STREAM_VERSION))), DamagedStreamError);
    await assert.rejects(all(openChunks(from(...pieces), deriveKeys(new Uint8Array(32), tenant, id).encKey, aad)), DamagedStreamError);
    // A sealer that calls a full chunk the last one cannot be read on: the next chunk fails.
    const sealer = new StreamSealer(encKey, aad, 4, prefix);
    const early = [sealer.header, sealer.seal(text("abcd"), true)];
    const opener = new StreamOpener(encKey, aad, early[0]!);
    assert.equal(opener.open(early[1]!, false), null);
  });

  it("refuses headers it does not read", () => {
    assert.throws(() => new StreamOpener(encKey, aad, new Uint8Array(STREAM_HEADER_LENGTH)), RangeError);
    const header = new StreamSealer(encKey, aad, 100, prefix).header;
    const huge = Uint8Array.from(header);
    new DataView(huge.buffer).setUint32(2, 0x7fff_ffff);
    assert.throws(() => new StreamOpener(encKey, aad, huge), RangeError);
    assert.throws(() => new StreamSealer(encKey, aad, 0), RangeError);
  });
});
