/**
 * Close reasons made from messages. A WebSocket close reason is at most
 * 123 bytes of UTF-8 (a close frame's payload is at most 125 bytes, two of
 * them the code), and `close()` throws on a longer one, in `ws` and in
 * browsers alike: a message that echoes what a peer sent, in any script,
 * must be cut to fit first.
 *
 * @module
 */

/** Most bytes of UTF-8 in a WebSocket close reason (RFC 6455, section 5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Cuts a message to the longest start of it that fits in a close reason,
 * without splitting a character.
 *
 * @param message Any text.
 * @returns `message` itself when it fits, else its longest start of at most
 *   {@link MAX_CLOSE_REASON_BYTES} bytes of UTF-8 (a lone surrogate becomes U+FFFD).
 * @example Cutting an echoed type name
 * ```ts
 * import { closeReason } from "./close-reason.ts";
 * closeReason(`Unknown message type "${"€".repeat(64)}"`); // 'Unknown message type "€€…€' in 123 bytes
 * ```
 */
export function closeReason(message: string): string {
  // No UTF-16 code unit takes more than 3 bytes of UTF-8: short messages fit without counting.
  if (message.length * 3 <= MAX_CLOSE_REASON_BYTES) return message;
  const bytes = encoder.encode(message);
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return message;
  let end = MAX_CLOSE_REASON_BYTES;
  // Back to the first byte of the character that does not fit whole: later bytes are 0b10xxxxxx.
  while ((bytes[end]! & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}
