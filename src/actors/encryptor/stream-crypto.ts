/**
 * The cryptography of a streamed record: the STREAM construction (Hoang,
 * Reyhanitabar, Rogaway and Vizár), as in Tink's streaming AEAD and age.
 * One key and one locator per record, as for a single value; the plaintext
 * is cut into chunks, each sealed with AES-256-GCM under a nonce made of a
 * random prefix, the chunk's counter and a flag set on the last chunk only:
 *
 * ```
 * header  = version 2 ‖ suite ‖ chunkSize(4) ‖ noncePrefix(7, random)
 * chunk i = AES-256-GCM(encKey, nonce = noncePrefix ‖ u32be(i) ‖ last(1), aad ‖ header, plaintext_i)
 * value   = header ‖ chunk 0 ‖ chunk 1 ‖ …
 * ```
 *
 * A chunk moved, dropped, repeated, or the stream cut after any chunk but
 * the last, fails authentication: a reader gets an error, never a short or
 * reordered result. Every chunk but the last holds `chunkSize` bytes of
 * plaintext; the last holds 0 to `chunkSize` (an empty record is one empty
 * last chunk).
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { SUITE_AES_256_GCM, TAG_LENGTH } from "./crypto.ts";
import { randomView } from "./random-pool.ts";

/** Format version of a streamed value. */
export const STREAM_VERSION = 2;
/** Bytes of a streamed value's header. */
export const STREAM_HEADER_LENGTH = 13;
/** Plaintext bytes of a chunk, but the last (64 KiB). */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Largest chunk size a header may name (16 MiB): a reader never buffers more than one chunk. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const NONCE_PREFIX_LENGTH = 7;

/**
 * Bytes a streamed value adds to its plaintext: its header, and a tag per
 * chunk (one chunk at least).
 *
 * @param length Bytes of plaintext.
 * @param chunkSize Plaintext bytes of a chunk. @default DEFAULT_CHUNK_SIZE
 * @returns The overhead in bytes.
 */
export function streamOverhead(length: number, chunkSize = DEFAULT_CHUNK_SIZE): number {
  return STREAM_HEADER_LENGTH + Math.max(1, Math.ceil(length / chunkSize)) * TAG_LENGTH;
}

/**
 * The plaintext length of a streamed value of `valueLength` bytes.
 *
 * @param valueLength Bytes of the value, header included.
 * @param chunkSize The chunk size its header names.
 * @returns The plaintext length, or `-1` when no value has that length.
 */
export function streamPlaintextLength(valueLength: number, chunkSize: number): number {
  const body = valueLength - STREAM_HEADER_LENGTH;
  const chunks = Math.max(1, Math.ceil(body / (chunkSize + TAG_LENGTH)));
  const length = body - chunks * TAG_LENGTH;
  return length >= 0 && streamOverhead(length, chunkSize) + length === valueLength ? length : -1;
}

/**
 * Tells whether a value begins with the header of a streamed value.
 *
 * @param value A value, or its first bytes.
 * @returns Whether its version byte is {@link STREAM_VERSION}.
 */
export function isStreamed(value: Uint8Array): boolean {
  return value.length > 0 && value[0] === STREAM_VERSION;
}

/** Seals the chunks of one record, in order. */
export class StreamSealer {
  /** The value's header, to store before the first chunk. */
  readonly header: Uint8Array;
  /** Plaintext bytes of every chunk but the last. */
  readonly chunkSize: number;
  #encKey: Uint8Array;
  #aad: Uint8Array;
  #nonce = new Uint8Array(12);
  #counter = 0;
  #done = false;

  /**
   * @param encKey The record's AES-256 key.
   * @param aad The record's associated data (version {@link STREAM_VERSION}).
   * @param chunkSize Plaintext bytes of every chunk but the last. @default DEFAULT_CHUNK_SIZE
   * @param noncePrefix 7 random bytes, never used before with this key. @default 7 random bytes
   */
  constructor(encKey: Uint8Array, aad: Uint8Array, chunkSize = DEFAULT_CHUNK_SIZE, noncePrefix: Uint8Array = randomView(NONCE_PREFIX_LENGTH)) {
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new RangeError(`Invalid chunk size ${chunkSize}`);
    this.chunkSize = chunkSize;
    this.header = new Uint8Array(STREAM_HEADER_LENGTH);
    this.header[0] = STREAM_VERSION;
    this.header[1] = SUITE_AES_256_GCM;
    new DataView(this.header.buffer).setUint32(2, chunkSize);
    this.header.set(noncePrefix, 6);
    this.#nonce.set(noncePrefix, 0);
    this.#encKey = encKey;
    this.#aad = concat(aad, this.header);
  }

  /**
   * Seals the next chunk.
   *
   * @param plaintext Exactly `chunkSize` bytes, or at most that many for the last chunk.
   * @param last Whether it is the last chunk.
   * @returns The sealed chunk: ciphertext and tag.
   * @throws {RangeError} When the chunk has the wrong size, or comes after the last.
   */
  seal(plaintext: Uint8Array, last: boolean): Uint8Array {
    if (this.#done) throw new RangeError("Cannot seal a chunk after the last");
    if (last ? plaintext.length > this.chunkSize : plaintext.length !== this.chunkSize) {
      throw new RangeError(`Cannot seal a chunk of ${plaintext.length} bytes: chunks hold ${this.chunkSize}`);
    }
    if (this.#counter > 0xffff_ffff) throw new RangeError("Cannot seal more chunks: the counter is spent");
    nonceFor(this.#nonce, this.#counter++, last);
    if (last) this.#done = true;
    const cipher = createCipheriv("aes-256-gcm", this.#encKey, this.#nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(this.#aad);
    const out = new Uint8Array(plaintext.length + TAG_LENGTH);
    const body = cipher.update(plaintext);
    out.set(body, 0);
    const rest = cipher.final();
    out.set(rest, body.length);
    out.set(cipher.getAuthTag(), body.length + rest.length);
    return out;
  }
}

/** Opens the chunks of one record, in order. */
export class StreamOpener {
  /** Plaintext bytes of every chunk but the last, as the header says. */
  readonly chunkSize: number;
  #encKey: Uint8Array;
  #aad: Uint8Array;
  #nonce = new Uint8Array(12);
  #counter = 0;
  #done = false;

  /**
   * @param encKey The record's AES-256 key.
   * @param aad The record's associated data (version {@link STREAM_VERSION}).
   * @param header The value's first {@link STREAM_HEADER_LENGTH} bytes.
   * @throws {RangeError} When the header is not one of a streamed value this code reads.
   */
  constructor(encKey: Uint8Array, aad: Uint8Array, header: Uint8Array) {
    if (header.length !== STREAM_HEADER_LENGTH || header[0] !== STREAM_VERSION || header[1] !== SUITE_AES_256_GCM) {
      throw new RangeError("Not the header of a streamed value");
    }
    const chunkSize = new DataView(header.buffer, header.byteOffset, header.length).getUint32(2);
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new RangeError(`Invalid chunk size ${chunkSize} in a header`);
    this.chunkSize = chunkSize;
    this.#nonce.set(header.subarray(6, 13), 0);
    this.#encKey = encKey;
    this.#aad = concat(aad, header);
  }

  /** Bytes of a sealed chunk but the last. */
  get sealedSize(): number {
    return this.chunkSize + TAG_LENGTH;
  }

  /**
   * Opens the next chunk.
   *
   * @param sealed Ciphertext and tag.
   * @param last Whether it is the last chunk of the value.
   * @returns The plaintext, or `null` when the chunk fails authentication (damaged, moved, cut).
   */
  open(sealed: Uint8Array, last: boolean): Uint8Array | null {
    if (this.#done || sealed.length < TAG_LENGTH || sealed.length > this.sealedSize) return null;
    if (!last && sealed.length !== this.sealedSize) return null;
    nonceFor(this.#nonce, this.#counter++, last);
    const decipher = createDecipheriv("aes-256-gcm", this.#encKey, this.#nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(this.#aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    const body = decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
    try {
      decipher.final();
    } catch {
      this.#done = true;
      return null;
    }
    if (last) this.#done = true;
    return body;
  }
}

function nonceFor(nonce: Uint8Array, counter: number, last: boolean): void {
  nonce[7] = counter >>> 24;
  nonce[8] = counter >>> 16;
  nonce[9] = counter >>> 8;
  nonce[10] = counter;
  nonce[11] = last ? 1 : 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
