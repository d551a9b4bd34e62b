/**
 * The one transport interface of the protocol: the subset of the web-standard
 * `WebSocket` that a peer needs. The platform's `WebSocket` (Deno, browsers,
 * newer Node) and the `ws` package's `WebSocket` (Node 20) both fit it as they
 * are; TypeScript only needs telling that the frames sent on the platform's
 * are never views of a `SharedArrayBuffer`.
 *
 * @module
 */
import { joinParts } from "../wire/mod.ts";

/**
 * An event handler property. Checked like a method (bivariantly) so that the
 * handlers of the platform's `WebSocket` and of `ws`, which take their own
 * richer event types, fit as they are.
 */
type Handler<E> = { handle(event: E): void }["handle"];

/** The subset of the standard `WebSocket` a connection uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  /**
   * Sends parts as one message without joining them, calling `onSent` once they are written
   * (`ws` with `withMessageParts`); absent elsewhere.
   */
  sendParts?(parts: readonly Uint8Array[], onSent?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

/** Opens a socket to `url` asking for `protocol`. */
export type SocketFactory = (url: string, protocol: string) => SocketLike;

/** `readyState` of an open socket. */
export const SOCKET_OPEN = 1;

/**
 * Sends the parts of a frame as one message: as they are where the socket
 * can, else joined into one array.
 *
 * @param socket The open socket.
 * @param parts The parts, in order.
 * @param onSent Called once the parts are written, where the socket tells (`ws`).
 */
export function sendFrame(socket: SocketLike, parts: readonly Uint8Array[], onSent?: () => void): void {
  if (socket.sendParts) socket.sendParts(parts, onSent);
  else socket.send(joinParts(parts));
}

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
