/**
 * The encryptor's side of storage: the role it calls, and what it tells
 * callers when storage has nothing or hands back damaged bytes.
 *
 * @module
 */

/** The role name the encryptor stores into. */
export const STORAGE_ROLE = "storage";

/** One message for both misses (unknown id, wrong key), so that an answer never tells whether an id exists. */
export const MISS = "No record matches this id and key";

/** The locator matched, so the caller holds the right key: a failed tag means damaged bytes. */
export const DAMAGED = "Cannot open the record: its ciphertext is damaged";
