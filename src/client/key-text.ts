/**
 * The text form of record keys for people: unpadded base64url of the 32
 * bytes, 43 characters, as the command line and the page show and take them.
 *
 * @module
 */
import { BadRequestError, decodeBase64Url, encodeBase64Url } from "../protocol/wire/mod.ts";
import { KEY_LENGTH } from "./_bytes.ts";

/**
 * Writes a key as text.
 *
 * @param key The 32-byte key `store` returned.
 * @returns 43 characters of unpadded base64url.
 * @throws {TypeError} When `key` is not 32 bytes.
 * @example Showing a key
 * ```ts
 * import { keyToText } from "./key-text.ts";
 * keyToText(new Uint8Array(32)); // "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
 * ```
 */
export function keyToText(key: Uint8Array): string {
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_LENGTH) {
    throw new TypeError(`Invalid key: expected ${KEY_LENGTH} bytes`);
  }
  return encodeBase64Url(key);
}

/**
 * Reads a key from text, ignoring white space around it (as pasted).
 *
 * @param text Unpadded base64url of 32 bytes.
 * @returns The key.
 * @throws {BadRequestError} When the text is not such a key; the message never repeats the text.
 * @example Reading a key
 * ```ts
 * import { keyFromText } from "./key-text.ts";
 * keyFromText(" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n").length; // 32
 * ```
 */
export function keyFromText(text: string): Uint8Array {
  let key: Uint8Array | undefined;
  try {
    key = decodeBase64Url(text.trim());
  } catch {
    key = undefined;
  }
  if (key?.length !== KEY_LENGTH) {
    throw new BadRequestError(`Invalid key: expected ${KEY_LENGTH} bytes as unpadded base64url (43 characters)`);
  }
  return key;
}
