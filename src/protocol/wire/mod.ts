/**
 * The wire format of strongroom, pure: message types, the codec, the frame
 * parser, error codes and classes, limits and the shapes of batch items. Bytes
 * in, typed values out: no I/O, no timers.
 *
 * @example Parsing a frame and answering with an error
 * ```ts
 * import { encode, parseFrame, ProtocolError } from "./mod.ts";
 * try {
 *   parseFrame(encode({ t: "req", id: 1 }));
 * } catch (error) {
 *   if (error instanceof ProtocolError) encode({ t: "err", id: error.requestId, code: error.code, message: error.message, retryable: error.retryable });
 * }
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
export { decode, encode, encodeParts } from "./codec.ts";
export { CODE_LIST, type Code, type CodeInfo, CODES, isCode } from "./codes.ts";
export { checkCbor, locateBody, MAX_CBOR_DEPTH, MAX_CBOR_LENGTH, type Span } from "./cbor-check.ts";
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
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_TIMEOUT_MS,
  FRAME_OVERHEAD,
  KEY_LENGTH,
  LOCATOR_LENGTH,
  MAX_CORRELATION_ID_LENGTH,
  MAX_ENVELOPE,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_HELLO_FRAME,
  MAX_NAME_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TTL_MS,
  maxPayloadFor,
  SUBPROTOCOL,
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
export { isCorrelationId, OP_PATTERN, parseFrame, type ParseOptions, ProtocolError, ROLE_PATTERN } from "./parse.ts";
export { cutBody, RawBody, spliceBody } from "./raw-body.ts";
