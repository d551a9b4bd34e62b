/**
 * CRC-32 (the zlib polynomial, reflected 0xEDB88320) of the records and
 * hint files. Node ≥ 20.15 and Deno 2 have a native `zlib.crc32`; older
 * Node 20 releases get a portable slicing-by-8 version with the same result,
 * so files move freely between runtimes.
 *
 * @module
 */
import * as zlib from "node:zlib";

type Crc32 = (data: Uint8Array, previous: number) => number;

const TABLES = buildTables();
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
const implementation: Crc32 = typeof native === "function" ? (data, previous) => native(data, previous) : crc32Portable;

/**
 * Computes the CRC-32 of some bytes, natively where the runtime offers it.
 *
 * @param data The bytes.
 * @param previous The CRC of the bytes before, to continue it. @default 0
 * @returns The CRC as an unsigned 32-bit integer.
 * @example The check value
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array, previous = 0): number {
  return implementation(data, previous);
}

/**
 * Computes the CRC-32 of some bytes in plain TypeScript, eight bytes a step.
 *
 * @param data The bytes.
 * @param previous The CRC of the bytes before, to continue it. @default 0
 * @returns The CRC as an unsigned 32-bit integer, equal to {@link crc32}'s.
 */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  const t = TABLES;
  let crc = ~previous;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  for (; i < end8; i += 8) {
    const a = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    crc =
      t[0x700 + (a & 0xff)]! ^
      t[0x600 + ((a >>> 8) & 0xff)]! ^
      t[0x500 + ((a >>> 16) & 0xff)]! ^
      t[0x400 + (a >>> 24)]! ^
      t[0x300 + data[i + 4]!]! ^
      t[0x200 + data[i + 5]!]! ^
      t[0x100 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < data.length; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = t[t[(k - 1) * 256 + n]! & 0xff]! ^ (t[(k - 1) * 256 + n]! >>> 8);
  }
  return t;
}
