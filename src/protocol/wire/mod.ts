/**
 * The wire format of strongroom, pure: message types, the codec, the frame
 * parser, error codes and classes, limits and the shapes of batch items. Bytes
 * in, typed values out: no I/O, no timers.
 *
 * @example Reading a frame and answering a bad request
 * ```ts
 * import { encodeBody, encodeFrame, errFrame, parseFrame } from "./mod.ts";
 * const frame = encodeFrame({ t: "req", id: 1, to: "encryptor", op: "store", body: encodeBody({ id: new Uint8Array([1]) }) });
 * parseFrame(frame, {
 *   message: (message, size) => console.log(message.t, size),
 *   invalid: (error) => encodeFrame(errFrame(error.requestId, error.code, error.message)),
 * });
 * ```
 *
 * @module
 */
export { readAnswer } from "./answer.ts";
export { decodeBase64Url, encodeBase64Url } from "./base64url.ts";
export {
  BATCH_ITEM_OVERHEAD,
  batchItemBytes,
  DEFAULT_MAX_BATCH,
  expectItems,
  type ItemFailure,
  itemFailure,
  MAX_ITEM_MESSAGE,
  readItemResults,
} from "./batch.ts";
export { decodeBody, encodeBody } from "./codec.ts";
export { messageSizeBound } from "./envelope.ts";
export { encodeFrame, FrameWriter, joinParts, LARGE_BODY } from "./frame-writer.ts";
export { CODE_LIST, type Code, type CodeInfo, CODES, isCode } from "./codes.ts";
export { closeReason, MAX_CLOSE_REASON_BYTES } from "./close-reason.ts";
export {
  asStrongroomError,
  BadRequestError,
  CancelledError,
  errorForCode,
  ForbiddenError,
  InternalError,
  NoRouteError,
  NotFoundError,
  OverloadedError,
  StorageFailedError,
  StrongroomError,
  TimeoutError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
} from "./errors.ts";
export { type BytesBounds, expectBytes, expectFields, expectInteger, expectString, type Fields, isFields } from "./fields.ts";
export {
  DEFAULT_CHUNK,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STREAM_IDLE_MS,
  DEFAULT_STREAM_WINDOW,
  DEFAULT_TIMEOUT_MS,
  MAX_CHUNK,
  KEY_LENGTH,
  LOCATOR_LENGTH,
  MAX_CORRELATION_ID_LENGTH,
  MAX_CREDIT,
  MAX_ENVELOPE,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_HELLO_FRAME,
  MAX_NAME_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TTL_MS,
  maxPayloadFor,
  SUBPROTOCOL,
  SUBPROTOCOL_FAMILY,
} from "./limits.ts";
export {
  type ActorReport,
  type ActorsReport,
  BROKER_ROLE,
  type RoleReport,
  type StatsReport,
} from "./introspection.ts";
export {
  type Cancel,
  type CorrelationId,
  type Credit,
  type Data,
  type Drain,
  type Err,
  errFrame,
  type Hello,
  type Message,
  type MessageType,
  type Req,
  type Res,
  type Welcome,
} from "./messages.ts";
export {
  type FrameHandler,
  isCorrelationId,
  OP_PATTERN,
  parseFrame,
  type ParseOptions,
  parseOne,
  ProtocolError,
  ROLE_PATTERN,
} from "./parse.ts";
