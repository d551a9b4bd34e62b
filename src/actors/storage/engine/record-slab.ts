/**
 * Encodes records side by side in large shared buffers instead of one
 * buffer each: cheaper to allocate, and a batch of records encoded one
 * after another is one contiguous piece to write.
 *
 * @module
 */
import { encodeRecord, KEY_LENGTH, RECORD_HEADER } from "./record.ts";

const SLAB_BYTES = 1024 * 1024;
const LARGEST_IN_SLAB = SLAB_BYTES / 8;

/** Hands out record encodings carved from shared slabs. */
export class RecordSlab {
  #slab = new Uint8Array(SLAB_BYTES);
  #used = 0;

  /**
   * Encodes one record, in a slab when it is small.
   *
   * @param key The key.
   * @param value The value.
   * @param flags Record flags. @default 0
   * @returns The record's bytes.
   */
  encode(key: Uint8Array, value: Uint8Array, flags = 0): Uint8Array {
    const length = RECORD_HEADER + KEY_LENGTH + value.length;
    if (length > LARGEST_IN_SLAB) return encodeRecord(key, value, flags);
    if (this.#used + length > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#used = 0;
    }
    const out = this.#slab.subarray(this.#used, this.#used + length);
    this.#used += length;
    return encodeRecord(key, value, flags, out);
  }
}

/**
 * Joins pieces that follow each other in one buffer, so that a batch is
 * written with few I/O vectors.
 *
 * @param pieces Records in write order.
 * @returns The same bytes in as few views as possible.
 */
export function coalesce(pieces: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let current: Uint8Array | undefined;
  for (const piece of pieces) {
    if (current && current.buffer === piece.buffer && current.byteOffset + current.length === piece.byteOffset) {
      current = new Uint8Array(current.buffer, current.byteOffset, current.length + piece.length);
    } else {
      if (current) out.push(current);
      current = piece;
    }
  }
  if (current) out.push(current);
  return out;
}
