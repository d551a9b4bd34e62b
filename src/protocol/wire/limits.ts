/**
 * Default limits and timings shared by every part. Each is also an option of
 * the part that enforces it.
 *
 * @module
 */

/** The WebSocket subprotocol every peer asks for. */
export const SUBPROTOCOL = "strongroom.v1";

/** Largest WebSocket frame the broker accepts, in bytes (16 MiB). */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/** Largest record id, in bytes. */
export const DEFAULT_MAX_ID = 1024;

/** Length of a record's AES-256 key, in bytes: what `store` answers and `retrieve` takes. */
export const KEY_LENGTH = 32;

/** Length of a locator, in bytes: the storage key the encryptor derives from the id and the key. */
export const LOCATOR_LENGTH = 32;

/** Bytes of a frame kept for the envelope and the crypto overhead, besides the id. */
export const ENVELOPE_ROOM = 3072;

/** Bytes of a frame kept for the envelope, an id of the default limit and the crypto overhead. */
export const FRAME_OVERHEAD = ENVELOPE_ROOM + DEFAULT_MAX_ID;

/** Most requests one connection may have in flight at the broker. */
export const DEFAULT_MAX_IN_FLIGHT = 1024;

/** Default time budget of a request when the caller gives none, in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Largest time budget a request may carry, in ms (the largest timer delay). */
export const MAX_TTL_MS = 2_147_483_647;

/** Time a new connection has to send its `hello`, in ms. */
export const DEFAULT_HELLO_TIMEOUT_MS = 5_000;

/** Longest role or op name, in characters. */
export const MAX_NAME_LENGTH = 64;

/** Longest string correlation id, in characters. */
export const MAX_CORRELATION_ID_LENGTH = 128;

/** Longest token or actor secret, in characters. */
export const MAX_TOKEN_LENGTH = 1024;

/** Longest message of an `err`, in characters; a longer one is cut short. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;

/**
 * Largest frame a peer may send before it is welcomed, that is its `hello`,
 * in bytes (8 KiB). A token, a role, a name and a concurrency take under
 * 4 KiB at their longest; a larger first frame closes the connection (1009)
 * without being decoded, so that nobody unauthenticated makes the broker
 * decode more.
 */
export const MAX_HELLO_FRAME = 8 * 1024;

/**
 * Largest envelope the broker decodes, in bytes (8 KiB): a frame less the
 * value of its `body`, which the broker passes on without decoding. The
 * longest correlation id, role, op, tenant and error message take under
 * 4 KiB together; a frame with a larger envelope closes the connection
 * (1009) without being decoded.
 */
export const MAX_ENVELOPE = 8 * 1024;

/**
 * Largest payload that fits in a frame of `maxFrame` bytes with an id of up
 * to `maxId` bytes.
 *
 * @param maxFrame The frame limit, usually from the broker's `welcome`.
 * @param maxId The id limit. @default DEFAULT_MAX_ID
 * @returns `maxFrame` less the room kept for the envelope and the id.
 */
export function maxPayloadFor(maxFrame: number, maxId: number = DEFAULT_MAX_ID): number {
  return Math.max(0, maxFrame - ENVELOPE_ROOM - maxId);
}
