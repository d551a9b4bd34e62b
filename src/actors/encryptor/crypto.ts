/**
 * The cryptography of strongroom, exactly as the design gives it:
 *
 * ```
 * PRK     = HKDF-Extract(salt = "strongroom/v1", K)
 * encKey  = HKDF-Expand(PRK, "enc", 32)
 * locator = HKDF-Expand(PRK, "loc" ‖ lp(tenant) ‖ lp(id), 32)
 * aad     = "strongroom" ‖ version ‖ suite ‖ lp(tenant) ‖ lp(id)
 * value   = version ‖ suite ‖ nonce(12) ‖ ciphertext ‖ tag(16)
 * ```
 *
 * HKDF is written out with HMAC-SHA-256 (RFC 5869) because Node's `hkdf`
 * caps `info` at 1024 bytes and an id alone may be that long, and the HMACs
 * are those of `_hmac-sha256.ts`, whose keys' states are computed once.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { HmacKey } from "./_hmac-sha256.ts";
import { valueRoom } from "./_value-slab.ts";
import { KEY_LENGTH } from "../../protocol/wire/mod.ts";
import { randomView } from "./random-pool.ts";

export { KEY_LENGTH };

/** Format version of a value. */
export const VERSION = 1;
/** Cipher suite of a value: AES-256-GCM with a 12-byte nonce and 16-byte tag. */
export const SUITE_AES_256_GCM = 1;
/** Length of a nonce, in bytes. */
export const NONCE_LENGTH = 12;
/** Length of a GCM tag, in bytes. */
export const TAG_LENGTH = 16;
/** Bytes a value adds to its plaintext. */
export const VALUE_OVERHEAD = 2 + NONCE_LENGTH + TAG_LENGTH;

const SALT = new TextEncoder().encode("strongroom/v1");
const INFO_ENC = new TextEncoder().encode("enc");
const INFO_LOC = new TextEncoder().encode("loc");
const AAD_PREFIX = new TextEncoder().encode("strongroom");
// HKDF-Expand of one 32-byte block: T(1) = HMAC(PRK, info ‖ 0x01).
const COUNTER_1 = new Uint8Array([1]);
const ENC_INFO = [INFO_ENC, COUNTER_1];
// The salt's HMAC key, made once; the PRK's, remade for every record in this one object.
const saltKey = new HmacKey(SALT);
const prkKey = new HmacKey(new Uint8Array(0));
const prk = new Uint8Array(32);
const tenantLength = new Uint8Array(2);
const idLength = new Uint8Array(2);

/** The keys derived from a record's key for one tenant and id. */
export interface DerivedKeys {
  /** The AES-256-GCM key. */
  readonly encKey: Uint8Array;
  /** Where the record lives in storage. */
  readonly locator: Uint8Array;
}

/**
 * Makes a fresh random record key.
 *
 * @returns 32 random bytes.
 */
export function generateKey(): Uint8Array {
  return randomView(KEY_LENGTH);
}

/**
 * Derives the encryption key and the locator of a record.
 *
 * @param key The record key, 32 bytes.
 * @param tenant The caller's tenant, as UTF-8 bytes.
 * @param id The record id.
 * @returns The AES key and the locator.
 * @example Deriving a locator
 * ```ts
 * import { deriveKeys } from "./crypto.ts";
 * const { locator } = deriveKeys(new Uint8Array(32), new Uint8Array(), new TextEncoder().encode("id"));
 * ```
 */
export function deriveKeys(key: Uint8Array, tenant: Uint8Array, id: Uint8Array): DerivedKeys {
  if (tenant.length > 0xffff || id.length > 0xffff) throw new RangeError("Cannot derive keys: a tenant or id is longer than 65535 bytes");
  saltKey.mac([key], prk);
  prkKey.rekey(prk);
  prk.fill(0);
  const encKey = prkKey.mac(ENC_INFO);
  tenantLength[0] = tenant.length >> 8;
  tenantLength[1] = tenant.length & 0xff;
  idLength[0] = id.length >> 8;
  idLength[1] = id.length & 0xff;
  const locator = prkKey.mac([INFO_LOC, tenantLength, tenant, idLength, id, COUNTER_1]);
  return { encKey, locator };
}

/**
 * Builds the associated data that binds a value to its tenant and id.
 *
 * @param tenant The tenant, as UTF-8 bytes.
 * @param id The record id.
 * @param version The record's format version: 1 for a single value, 2 for a streamed one. @default VERSION
 * @returns `"strongroom" ‖ version ‖ suite ‖ lp(tenant) ‖ lp(id)`.
 */
export function associatedData(tenant: Uint8Array, id: Uint8Array, version: number = VERSION): Uint8Array {
  const out = new Uint8Array(AAD_PREFIX.length + 2 + 2 + tenant.length + 2 + id.length);
  out.set(AAD_PREFIX, 0);
  let o = AAD_PREFIX.length;
  out[o++] = version;
  out[o++] = SUITE_AES_256_GCM;
  out.set(lengthPrefixed(tenant), o);
  o += 2 + tenant.length;
  out.set(lengthPrefixed(id), o);
  return out;
}

/**
 * Encrypts a payload into a value.
 *
 * @param encKey The derived AES-256 key.
 * @param aad The associated data.
 * @param payload The plaintext.
 * @param nonce The 12-byte nonce. @default 12 random bytes
 * @returns `version ‖ suite ‖ nonce ‖ ciphertext ‖ tag`.
 */
export function seal(
  encKey: Uint8Array,
  aad: Uint8Array,
  payload: Uint8Array,
  nonce: Uint8Array = randomView(NONCE_LENGTH),
): Uint8Array {
  const value = valueRoom(VALUE_OVERHEAD + payload.length);
  sealInto(value, encKey, aad, payload, nonce);
  return value;
}

/**
 * Encrypts a payload into a value in place, so that many values can share
 * one buffer.
 *
 * @param value Where the value goes: exactly `VALUE_OVERHEAD + payload.length` bytes.
 * @param encKey The derived AES-256 key.
 * @param aad The associated data.
 * @param payload The plaintext.
 * @param nonce The 12-byte nonce, never used before with this key.
 * @throws {RangeError} When `value` is not of the length of the value.
 */
export function sealInto(value: Uint8Array, encKey: Uint8Array, aad: Uint8Array, payload: Uint8Array, nonce: Uint8Array): void {
  if (value.length !== VALUE_OVERHEAD + payload.length) {
    throw new RangeError(`Cannot seal into ${value.length} bytes: the value takes ${VALUE_OVERHEAD + payload.length}`);
  }
  const cipher = createCipheriv("aes-256-gcm", encKey, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  value[0] = VERSION;
  value[1] = SUITE_AES_256_GCM;
  value.set(nonce, 2);
  let o = 2 + NONCE_LENGTH;
  const body = cipher.update(payload);
  value.set(body, o);
  o += body.length;
  const rest = cipher.final();
  value.set(rest, o);
  o += rest.length;
  value.set(cipher.getAuthTag(), o);
}

/**
 * Decrypts a value.
 *
 * @param encKey The derived AES-256 key.
 * @param aad The associated data.
 * @param value A value made by {@link seal}.
 * @returns The plaintext, or `null` when the value is malformed, of an unknown
 *   version or suite, or fails authentication.
 */
export function open(encKey: Uint8Array, aad: Uint8Array, value: Uint8Array): Uint8Array | null {
  if (value.length < VALUE_OVERHEAD || value[0] !== VERSION || value[1] !== SUITE_AES_256_GCM) return null;
  const nonce = value.subarray(2, 2 + NONCE_LENGTH);
  const tag = value.subarray(value.length - TAG_LENGTH);
  const decipher = createDecipheriv("aes-256-gcm", encKey, nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const body = decipher.update(value.subarray(2 + NONCE_LENGTH, value.length - TAG_LENGTH));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return body;
}

/**
 * Prefixes bytes with their length as 2 bytes, big-endian.
 *
 * @param bytes At most 65535 bytes.
 * @returns `lp(bytes)`.
 * @throws {RangeError} When `bytes` is longer than 65535.
 */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 0xffff) throw new RangeError(`Cannot length-prefix ${bytes.length} bytes: at most 65535`);
  const out = new Uint8Array(2 + bytes.length);
  out[0] = bytes.length >> 8;
  out[1] = bytes.length & 0xff;
  out.set(bytes, 2);
  return out;
}
