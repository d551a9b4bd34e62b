/**
 * Picks the WebSocket implementation of the platform: the standard global
 * `WebSocket` where there is one (Deno, browsers, newer Node), else the `ws`
 * package (Node 20).
 *
 * @module
 */
import type { SocketFactory, SocketLike } from "../protocol/mod.ts";

/**
 * Returns a factory of sockets for the platform the client runs on.
 *
 * @returns A socket factory.
 */
export async function platformSocketFactory(): Promise<SocketFactory> {
  const Standard = (globalThis as { WebSocket?: new (url: string, protocol: string) => SocketLike }).WebSocket;
  if (typeof Standard === "function") return (url, protocol) => new Standard(url, protocol);
  const { WebSocket } = await import("ws");
  return (url, protocol) => new WebSocket(url, protocol) as unknown as SocketLike;
}
