/**
 * Room for values carved from shared slabs: a typed array of more than 64
 * bytes lives outside the JavaScript heap, and allocating one per sealed
 * record made the encryptor collect its old space far more often than its
 * work needs. Each view is handed out once and the slab is never written
 * again through another, so a value stays what it was for as long as it is
 * held.
 *
 * @module
 */

const SLAB = 256 * 1024;
const LARGEST = 16 * 1024;
let slab: Uint8Array = new Uint8Array(0);
let used = 0;

/**
 * Returns room for one value.
 *
 * @param length Bytes; above 16 KiB the value gets an array of its own.
 * @returns A view of `length` bytes that nothing else was or will be given.
 */
export function valueRoom(length: number): Uint8Array {
  if (length > LARGEST) return new Uint8Array(length);
  if (used + length > slab.length) {
    slab = new Uint8Array(SLAB);
    used = 0;
  }
  const view = slab.subarray(used, used + length);
  used += length;
  return view;
}
