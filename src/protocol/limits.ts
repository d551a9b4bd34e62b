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

/** Bytes of a frame kept for the envelope, the id and the crypto overhead. */
export const FRAME_OVERHEAD = 4096;

/** Largest record id, in bytes. */
export const DEFAULT_MAX_ID = 1024;

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

/**
 * Largest payload that fits in a frame of `maxFrame` bytes.
 *
 * @param maxFrame The frame limit, usually from the broker's `welcome`.
 * @returns `maxFrame` less the room kept for the envelope.
 */
export function maxPayloadFor(maxFrame: number): number {
  return Math.max(0, maxFrame - FRAME_OVERHEAD);
}
