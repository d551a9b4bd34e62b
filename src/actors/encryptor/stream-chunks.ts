/**
 * Streams of bytes cut however their sender cut them, turned into the
 * chunks of a streamed record and back: `sealChunks` cuts plaintext into
 * chunks of the chunk size and seals each, knowing which is last only once
 * the source ends; `openChunks` finds the header and the sealed chunks in
 * the bytes storage hands back and opens each, failing on the first that
 * does not authenticate. Neither holds more than one chunk and what arrived
 * with it.
 *
 * @module
 */
import { STREAM_HEADER_LENGTH, StreamOpener, type StreamSealer } from "./stream-crypto.ts";

/** Bytes waiting to be taken in pieces of a given length, copied only when a piece spans arrivals. */
class ByteQueue {
  #parts: Uint8Array[] = [];
  #first = 0;
  #offset = 0;
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#parts.push(bytes);
    this.length += bytes.length;
  }

  /** Takes `n` bytes, at most `length`. */
  take(n: number): Uint8Array {
    const head = this.#parts[this.#first];
    if (head && head.length - this.#offset >= n) {
      const out = head.subarray(this.#offset, this.#offset + n);
      this.#advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const part = this.#parts[this.#first]!;
      const take = Math.min(n - filled, part.length - this.#offset);
      out.set(part.subarray(this.#offset, this.#offset + take), filled);
      filled += take;
      this.#advance(take);
    }
    return out;
  }

  #advance(n: number): void {
    this.length -= n;
    this.#offset += n;
    while (this.#first < this.#parts.length && this.#offset >= this.#parts[this.#first]!.length) {
      this.#offset -= this.#parts[this.#first]!.length;
      this.#parts[this.#first++] = undefined as never;
    }
    if (this.#first === this.#parts.length) {
      this.#parts = [];
      this.#first = 0;
    }
  }
}

/**
 * Seals a plaintext source into a streamed value: its header, then its
 * sealed chunks, the last one marked.
 *
 * @param source The plaintext, cut anyhow.
 * @param sealer The record's sealer.
 * @param onPlaintext Told the plaintext bytes taken so far, as they are. @default undefined
 * @returns The value's pieces: the header, then one sealed chunk each.
 */
export async function* sealChunks(
  source: AsyncIterable<Uint8Array>,
  sealer: StreamSealer,
  onPlaintext?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  yield sealer.header;
  const queue = new ByteQueue();
  const size = sealer.chunkSize;
  let taken = 0;
  for await (const bytes of source) {
    queue.push(bytes);
    taken += bytes.length;
    onPlaintext?.(taken);
    // A full chunk is sealed once a byte past it is here: only then is it known not to be the last.
    while (queue.length > size) yield sealer.seal(queue.take(size), false);
  }
  yield sealer.seal(queue.take(queue.length), true);
}

/** A streamed value that did not open: damaged, cut, or with chunks out of order. */
export class DamagedStreamError extends Error {
  /** @param message What was found wrong. */
  constructor(message: string) {
    super(message);
    this.name = "DamagedStreamError";
  }
}

/**
 * Opens a streamed value as storage hands it back, cut anyhow.
 *
 * @param source The value's bytes.
 * @param encKey The record's AES-256 key.
 * @param aad The record's associated data.
 * @returns The plaintext, one chunk at a time, each only once it authenticated.
 * @throws {DamagedStreamError} When the value is not a whole, untouched streamed value of this key.
 */
export async function* openChunks(source: AsyncIterable<Uint8Array>, encKey: Uint8Array, aad: Uint8Array): AsyncGenerator<Uint8Array> {
  const queue = new ByteQueue();
  let opener: StreamOpener | undefined;
  const openNext = (last: boolean, length: number) => {
    const plaintext = opener!.open(queue.take(length), last);
    if (!plaintext) throw new DamagedStreamError("A chunk of the streamed value failed authentication");
    return plaintext;
  };
  for await (const bytes of source) {
    queue.push(bytes);
    if (!opener) {
      if (queue.length < STREAM_HEADER_LENGTH) continue;
      try {
        opener = new StreamOpener(encKey, aad, queue.take(STREAM_HEADER_LENGTH));
      } catch (error) {
        throw new DamagedStreamError(`The streamed value's header is not one this code reads: ${(error as Error).message}`);
      }
    }
    // A full sealed chunk is opened once a byte past it is here: only then is it known not to be the last.
    while (queue.length > opener.sealedSize) yield openNext(false, opener.sealedSize);
  }
  if (!opener) throw new DamagedStreamError("The streamed value ends inside its header");
  yield openNext(true, queue.length);
}
