/**
 * The strongroom client library, for Node, Deno and browsers.
 *
 * @example Store and retrieve
 * ```ts
 * import { connect } from "./mod.ts";
 * const client = await connect("ws://127.0.0.1:7070");
 * const key = await client.store("my-id", "my secret");
 * const payload = await client.retrieve("my-id", key);
 * const [first] = await client.storeMany([{ id: "one", payload: "of many" }]);
 * await client.close();
 * ```
 *
 * @module
 */
export {
  type BytesLike,
  type CallOptions,
  type Client,
  type ClientOptions,
  connect,
  KEY_LENGTH,
  StrongroomClient,
} from "./client.ts";
export { keyFromText, keyToText } from "./key-text.ts";
export { type ByteSource, type RecordStream } from "./streams.ts";
export {
  type ItemResult,
  type RetrieveItem,
  type RetrieveResult,
  type StoreItem,
  type StoreResult,
} from "./batch.ts";
export {
  type ActorReport,
  type ActorsReport,
  BadRequestError,
  CancelledError,
  type Code,
  CODES,
  decodeBase64Url,
  encodeBase64Url,
  ForbiddenError,
  InternalError,
  NoRouteError,
  NotFoundError,
  OverloadedError,
  type RoleReport,
  type StatsReport,
  StorageFailedError,
  StrongroomError,
  TimeoutError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
} from "../protocol/wire/mod.ts";
export { type SessionEvent, type SocketFactory } from "../protocol/peer/mod.ts";
