/**
 * Random bytes drawn in large blocks: asking the system for 32 bytes at a
 * time cost the encryptor more than an HMAC per request. Each block is a new
 * buffer that is never written again, so a view handed out stays what it
 * was, and no byte is handed out twice.
 *
 * @module
 */
import { randomBytes } from "node:crypto";

const BLOCK = 16 * 1024;
let block: Uint8Array = new Uint8Array(0);
let used = 0;

/**
 * Returns fresh random bytes.
 *
 * @param length How many, at most 16 KiB (larger requests get their own buffer).
 * @returns A view of `length` random bytes, never handed out before.
 * @example Drawing a key
 * ```ts
 * import { randomView } from "./random-pool.ts";
 * const key = randomView(32);
 * ```
 */
export function randomView(length: number): Uint8Array {
  if (length > BLOCK) return randomBytes(length);
  if (used + length > block.length) {
    block = randomBytes(BLOCK);
    used = 0;
  }
  const view = block.subarray(used, used + length);
  used += length;
  return view;
}
