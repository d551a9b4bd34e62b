/**
 * Hint files: the record index of a sealed segment, so that start-up reads
 * 45 bytes a record instead of the values.
 *
 * `"SRHNT" | version(1) | 0(2) | segment id(4) | segment size(8)`, then per
 * record `key(32) | flags(1) | offset(8) | length(4)`, then
 * `count(4) | crc32 of everything before(4)`. A hint whose CRC, id or
 * segment size does not match is ignored and the segment is scanned.
 *
 * @module
 */
import { crc32 } from "./crc32.ts";
import { FORMAT_VERSION } from "./segment-file.ts";
import { KEY_LENGTH, readUint32, writeUint32 } from "./record.ts";

/** Bytes of one hint entry. */
export const HINT_ENTRY = KEY_LENGTH + 1 + 8 + 4;
const HEADER = 20;
const TRAILER = 8;
const MAGIC = [0x53, 0x52, 0x48, 0x4e, 0x54]; // "SRHNT"
const CHUNK_ENTRIES = 16_384;

/** Called for each record a hint lists, in segment order; the key is `bytes[keyAt, keyAt + 32)`. */
export type HintVisitor = (bytes: Uint8Array, keyAt: number, flags: number, offset: number, length: number) => void;

/** Collects the entries of one segment's hint, then encodes the file. */
export class HintBuilder {
  #chunks: Uint8Array[] = [];
  #chunk = new Uint8Array(0);
  #used = 0;
  #count = 0;

  /** Entries so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds one record.
   *
   * @param key Its key (the first {@link KEY_LENGTH} bytes are taken).
   * @param flags Its flags.
   * @param offset Its offset in the segment.
   * @param length Its length.
   */
  add(key: Uint8Array, flags: number, offset: number, length: number): void {
    if (this.#used === this.#chunk.length) {
      this.#chunk = new Uint8Array(CHUNK_ENTRIES * HINT_ENTRY);
      this.#chunks.push(this.#chunk);
      this.#used = 0;
    }
    const at = this.#used;
    this.#chunk.set(key.subarray(0, KEY_LENGTH), at);
    this.#chunk[at + KEY_LENGTH] = flags;
    writeUint32(this.#chunk, at + KEY_LENGTH + 1, Math.floor(offset / 2 ** 32));
    writeUint32(this.#chunk, at + KEY_LENGTH + 5, offset >>> 0);
    writeUint32(this.#chunk, at + KEY_LENGTH + 9, length);
    this.#used += HINT_ENTRY;
    this.#count++;
  }

  /**
   * Visits every entry added so far.
   *
   * @param visit Called per entry.
   */
  forEach(visit: HintVisitor): void {
    for (const chunk of this.#chunks) {
      const end = chunk === this.#chunk ? this.#used : chunk.length;
      visitEntries(chunk, 0, end, visit);
    }
  }

  /**
   * Encodes the hint file.
   *
   * @param segmentId The segment it describes.
   * @param segmentSize The segment's size in bytes.
   * @returns The file's bytes, in pieces to write in order.
   */
  encode(segmentId: number, segmentSize: number): Uint8Array[] {
    const header = new Uint8Array(HEADER);
    header.set(MAGIC);
    header[5] = FORMAT_VERSION;
    writeUint32(header, 8, segmentId);
    writeUint32(header, 12, Math.floor(segmentSize / 2 ** 32));
    writeUint32(header, 16, segmentSize >>> 0);
    const body = this.#chunks.map((chunk) => (chunk === this.#chunk ? chunk.subarray(0, this.#used) : chunk));
    let crc = crc32(header);
    for (const piece of body) crc = crc32(piece, crc);
    const trailer = new Uint8Array(TRAILER);
    writeUint32(trailer, 0, this.#count);
    crc = crc32(trailer.subarray(0, 4), crc);
    writeUint32(trailer, 4, crc);
    return [header, ...body, trailer];
  }
}

/**
 * Tells how many entries a hint file holds, going by its length alone.
 *
 * @param bytes The whole hint file.
 * @returns The number of entries, or 0 for a file too short to be a hint.
 */
export function hintEntryCount(bytes: Uint8Array): number {
  return Math.max(0, Math.floor((bytes.length - HEADER - TRAILER) / HINT_ENTRY));
}

/**
 * Reads a hint file, if it is intact and matches its segment.
 *
 * @param bytes The whole hint file.
 * @param segmentId The segment it should describe.
 * @param segmentSize That segment's size.
 * @param visit Called per entry, in segment order, once the file checked out.
 * @returns Whether the hint was used.
 */
export function readHint(bytes: Uint8Array, segmentId: number, segmentSize: number, visit: HintVisitor): boolean {
  if (bytes.length < HEADER + TRAILER || (bytes.length - HEADER - TRAILER) % HINT_ENTRY !== 0) return false;
  if (MAGIC.some((b, i) => bytes[i] !== b) || bytes[5] !== FORMAT_VERSION) return false;
  if (readUint32(bytes, 8) !== segmentId) return false;
  if (readUint32(bytes, 12) * 2 ** 32 + readUint32(bytes, 16) !== segmentSize) return false;
  const end = bytes.length - TRAILER;
  if (readUint32(bytes, end) !== (end - HEADER) / HINT_ENTRY) return false;
  if (readUint32(bytes, end + 4) !== crc32(bytes.subarray(0, end + 4))) return false;
  visitEntries(bytes, HEADER, end, visit);
  return true;
}

function visitEntries(bytes: Uint8Array, from: number, to: number, visit: HintVisitor): void {
  for (let at = from; at < to; at += HINT_ENTRY) {
    const offset = readUint32(bytes, at + KEY_LENGTH + 1) * 2 ** 32 + readUint32(bytes, at + KEY_LENGTH + 5);
    visit(bytes, at, bytes[at + KEY_LENGTH]!, offset, readUint32(bytes, at + KEY_LENGTH + 9));
  }
}
