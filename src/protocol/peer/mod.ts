/**
 * The peer runtime that clients and actors share: a connection to the broker
 * with request/reply, a session that reconnects, retries with backoff, the
 * socket interface and the logger interface.
 *
 * @example Calling the encryptor through a reconnecting session
 * ```ts
 * import WebSocket from "ws";
 * import { Session } from "./mod.ts";
 * const session = await Session.open((url, p) => new WebSocket(url, p) as never, "ws://127.0.0.1:7070");
 * await session.request("encryptor", "store", { id: new Uint8Array([1]), payload: new Uint8Array() }, { timeout: 5000 });
 * session.close();
 * ```
 *
 * @module
 */
export { type PartableSocket, type PartSender, withMessageParts, zeroMask } from "./message-parts.ts";
export { END_OF_TURN, FLUSH_BYTES, Outbox, type OutboxOptions, type Scheduler } from "./outbox.ts";
export { type BackoffOptions, backoffDelay } from "./backoff.ts";
export { type CloseInfo, Connection, type ConnectionOptions, type RequestOptions, type StreamAnswer } from "./connection.ts";
export { ChunkReader, ChunkWriter, type GrantCredit, type SendChunk } from "./stream.ts";
export { type LogFields, type Logger, NOOP_LOGGER } from "./logger.ts";
export { retry, type RetryClock, type RetryOptions, SYSTEM_CLOCK } from "./retry.ts";
export { CallScope, type Unsubscribe } from "./scope.ts";
export { Session, type SessionEvent, type SessionOptions } from "./session.ts";
export { messageBytes, sendFrame, SOCKET_OPEN, type SocketFactory, type SocketLike } from "./socket.ts";
