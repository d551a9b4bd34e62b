/**
 * The `ws` socket factory for tests that run the broker in-process.
 *
 * @module
 */
import WebSocket from "ws";
import type { SocketFactory } from "../../src/protocol/peer/mod.ts";

/** Opens `ws` sockets, as the Node client and actors do. */
export const wsFactory: SocketFactory = (url, protocol) => new WebSocket(url, protocol) as never;
