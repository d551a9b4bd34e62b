/**
 * Picks the WebSocket implementation of the platform: the standard global
 * `WebSocket` where there is one (Deno, browsers, newer Node), else the `ws`
 * package (Node 20).
 *
 * @module
 */
import { type SocketFactory, type SocketLike, withMessageParts, zeroMask } from "../protocol/peer/mod.ts";

/**
 * Returns a factory of sockets for the platform the client runs on.
 *
 * @returns A socket factory.
 */
export async function platformSocketFactory(): Promise<SocketFactory> {
  const Standard: typeof globalThis.WebSocket | undefined = globalThis.WebSocket;
  // Its send() is typed for ArrayBuffer-backed views only; the codec never hands it another kind.
  if (typeof Standard === "function") return (url, protocol) => new Standard(url, protocol) as SocketLike;
  const { WebSocket } = await import("ws");
  const PartSending = withMessageParts(WebSocket);
  // A program is no web page: masking would only cost (two passes over every payload, here and at the broker).
  return (url, protocol): SocketLike => new PartSending(url, protocol, { generateMask: zeroMask });
}
