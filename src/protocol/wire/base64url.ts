/**
 * Unpadded base64url (RFC 4648 §5), the text form of keys for people.
 * Web-standard only, so that it runs in a browser as well.
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as unpadded base64url.
 *
 * @param bytes Any bytes.
 * @returns The text form, without `=` padding.
 * @example Encoding a key
 * ```ts
 * import { encodeBase64Url } from "./base64url.ts";
 * encodeBase64Url(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes unpadded base64url. Padding and standard base64's `+` and `/` are
 * refused so that each key has exactly one text form.
 *
 * @param text The text form.
 * @returns The bytes.
 * @throws {SyntaxError} When `text` is not canonical unpadded base64url.
 * @example Decoding a key
 * ```ts
 * import { decodeBase64Url } from "./base64url.ts";
 * decodeBase64Url("-_8"); // Uint8Array [251, 255]
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new SyntaxError("Invalid base64url text: impossible length");
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? LOOKUP[code]! : -1;
    if (v < 0) throw new SyntaxError(`Invalid base64url text: unexpected character at position ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new SyntaxError("Invalid base64url text: non-zero trailing bits");
  return out;
}
