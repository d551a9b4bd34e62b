/**
 * The on-disk record of a segment:
 * `crc32(4) | flags(1) | key length(2) | value length(4) | key | value`,
 * all integers big-endian, the CRC-32 over everything after it.
 *
 * @module
 */
import { crc32 } from "node:zlib";

/** Bytes before the key. */
export const RECORD_HEADER = 11;
/** Flag of a record that deletes its key. */
export const FLAG_TOMBSTONE = 1;

/** A decoded record header. */
export interface RecordHeader {
  readonly crc: number;
  readonly flags: number;
  readonly keyLength: number;
  readonly valueLength: number;
}

/**
 * Serialises one record.
 *
 * @param key The key.
 * @param value The value; empty for a tombstone.
 * @param flags Record flags.
 * @returns The bytes to append.
 */
export function encodeRecord(key: Uint8Array, value: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER + key.length + value.length);
  const view = new DataView(out.buffer);
  view.setUint8(4, flags);
  view.setUint16(5, key.length);
  view.setUint32(7, value.length);
  out.set(key, RECORD_HEADER);
  out.set(value, RECORD_HEADER + key.length);
  view.setUint32(0, crc32(out.subarray(4)));
  return out;
}

/**
 * Reads a record header.
 *
 * @param bytes At least {@link RECORD_HEADER} bytes.
 * @returns The header fields.
 */
export function decodeHeader(bytes: Uint8Array): RecordHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, RECORD_HEADER);
  return { crc: view.getUint32(0), flags: view.getUint8(4), keyLength: view.getUint16(5), valueLength: view.getUint32(7) };
}

/**
 * Checks a whole record against its CRC.
 *
 * @param record The record's bytes, header included.
 * @returns Whether the CRC matches.
 */
export function recordIsIntact(record: Uint8Array): boolean {
  const view = new DataView(record.buffer, record.byteOffset, 4);
  return view.getUint32(0) === crc32(record.subarray(4));
}
