/**
 * The on-disk record of a segment:
 * `crc32(4) | flags(1) | key length(2) | value length(4) | key | value`,
 * integers big-endian, the CRC-32 over everything after it. Keys are the
 * 32-byte locators of the storage actor.
 *
 * @module
 */
import { LOCATOR_LENGTH } from "../../../protocol/wire/mod.ts";
import { crc32 } from "./crc32.ts";

/** Bytes before the key. */
export const RECORD_HEADER = 11;
/** Length of every key, in bytes: a locator's. */
export const KEY_LENGTH = LOCATOR_LENGTH;
/** Flag of a record that deletes its key. */
export const FLAG_TOMBSTONE = 1;
/** Largest value the format holds, in bytes. */
export const MAX_VALUE_LENGTH = 0xffff_ffff - RECORD_HEADER - KEY_LENGTH;

/**
 * Serialises one record.
 *
 * @param key The key, {@link KEY_LENGTH} bytes.
 * @param value The value; empty for a tombstone.
 * @param flags Record flags.
 * @param out Where to encode it: exactly the record's length. @default a new array
 * @returns The bytes to append.
 */
export function encodeRecord(
  key: Uint8Array,
  value: Uint8Array,
  flags = 0,
  out = new Uint8Array(RECORD_HEADER + KEY_LENGTH + value.length),
): Uint8Array {
  out[4] = flags;
  out[5] = KEY_LENGTH >>> 8;
  out[6] = KEY_LENGTH & 0xff;
  writeUint32(out, 7, value.length);
  out.set(key, RECORD_HEADER);
  out.set(value, RECORD_HEADER + KEY_LENGTH);
  writeUint32(out, 0, crc32(out.subarray(4)));
  return out;
}

/**
 * Reads the total length of the record that would start at `at`, if its
 * header is plausible: known flags, a key of {@link KEY_LENGTH} bytes, and
 * no more than `available` bytes in all. The CRC is not checked.
 *
 * @param bytes Holds at least {@link RECORD_HEADER} bytes from `at`.
 * @param at Where the record starts.
 * @param available Bytes from `at` to the end of the file.
 * @returns The record's length, or 0 when the header cannot be one.
 */
export function plausibleLength(bytes: Uint8Array, at: number, available: number): number {
  if ((bytes[at + 4]! & ~FLAG_TOMBSTONE) !== 0) return 0;
  if (bytes[at + 5] !== KEY_LENGTH >>> 8 || bytes[at + 6] !== (KEY_LENGTH & 0xff)) return 0;
  const length = RECORD_HEADER + KEY_LENGTH + readUint32(bytes, at + 7);
  if (bytes[at + 4] === FLAG_TOMBSTONE && length !== RECORD_HEADER + KEY_LENGTH) return 0;
  return length <= available ? length : 0;
}

/**
 * Checks a whole record against its CRC.
 *
 * @param record The record's bytes, header included.
 * @returns Whether the CRC matches.
 */
export function recordIsIntact(record: Uint8Array): boolean {
  return record.length >= RECORD_HEADER && readUint32(record, 0) === crc32(record.subarray(4));
}

/**
 * Reads a big-endian unsigned 32-bit integer.
 *
 * @param bytes The bytes.
 * @param at Offset of the integer.
 * @returns The integer.
 */
export function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Writes a big-endian unsigned 32-bit integer.
 *
 * @param bytes The bytes.
 * @param at Offset of the integer.
 * @param value The integer.
 */
export function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}
