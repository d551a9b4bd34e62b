/**
 * The one transport interface of the protocol: the subset of the web-standard
 * `WebSocket` that a peer needs. The platform's `WebSocket` (Deno, browsers)
 * and the `ws` package's `WebSocket` (Node) both fit it as they are.
 *
 * @module
 */

/** The subset of the standard `WebSocket` a connection uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}

/** Opens a socket to `url` asking for `protocol`. */
export type SocketFactory = (url: string, protocol: string) => SocketLike;

/** `readyState` of an open socket. */
export const SOCKET_OPEN = 1;

/**
 * Turns the data of a message event into bytes, without a copy where the
 * platform allows it.
 *
 * @param data `event.data` of a message.
 * @returns The bytes, or `null` for a text message.
 */
export function messageBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}
