/**
 * Error classes, one per code of the registry, so that callers can branch on
 * `instanceof` or on the stable `code` string.
 *
 * @module
 */
import { CODES, type Code } from "./codes.ts";

/**
 * Base class of every error that carries a protocol error code.
 *
 * @example Branching on the code
 * ```ts
 * import { StrongroomError } from "./errors.ts";
 * try { throw new StrongroomError("NOT_FOUND", "No record matches") }
 * catch (e) { if (e instanceof StrongroomError && e.code === "NOT_FOUND") { } }
 * ```
 */
export class StrongroomError extends Error {
  /** The stable code from the registry, as it travels on the wire. */
  readonly code: Code;
  /** Whether the same request may succeed if sent again. */
  readonly retryable: boolean;

  /**
   * @param code A code from the registry.
   * @param message Sentence-case text without a trailing period; never a key, id or payload.
   * @param options `cause` of the error, and `retryable` to override the registry's value.
   */
  constructor(code: Code, message: string, options?: ErrorOptions & { retryable?: boolean }) {
    super(message, options);
    this.name = "StrongroomError";
    this.code = code;
    this.retryable = options?.retryable ?? CODES[code].retryable;
  }
}

function defineError<C extends Code>(code: C, name: string) {
  const ErrorClass = class extends StrongroomError {
    declare readonly code: C;
    constructor(message: string, options?: ErrorOptions & { retryable?: boolean }) {
      super(code, message, options);
      this.name = name;
    }
  };
  Object.defineProperty(ErrorClass, "name", { value: name });
  return ErrorClass;
}

/** `BAD_REQUEST`: the request is malformed. */
export const BadRequestError = defineError("BAD_REQUEST", "BadRequestError");
/** An instance of {@link BadRequestError}. */
export type BadRequestError = InstanceType<typeof BadRequestError>;
/** `UNAUTHENTICATED`: no valid token or actor secret. */
export const UnauthenticatedError = defineError("UNAUTHENTICATED", "UnauthenticatedError");
/** An instance of {@link UnauthenticatedError}. */
export type UnauthenticatedError = InstanceType<typeof UnauthenticatedError>;
/** `FORBIDDEN`: authenticated but not allowed. */
export const ForbiddenError = defineError("FORBIDDEN", "ForbiddenError");
/** An instance of {@link ForbiddenError}. */
export type ForbiddenError = InstanceType<typeof ForbiddenError>;
/** `NO_ROUTE`: no actor has the role. */
export const NoRouteError = defineError("NO_ROUTE", "NoRouteError");
/** An instance of {@link NoRouteError}. */
export type NoRouteError = InstanceType<typeof NoRouteError>;
/** `NOT_FOUND`: no record for this id and key. */
export const NotFoundError = defineError("NOT_FOUND", "NotFoundError");
/** An instance of {@link NotFoundError}. */
export type NotFoundError = InstanceType<typeof NotFoundError>;
/** `TOO_LARGE`: over a size limit. */
export const TooLargeError = defineError("TOO_LARGE", "TooLargeError");
/** An instance of {@link TooLargeError}. */
export type TooLargeError = InstanceType<typeof TooLargeError>;
/** `TIMEOUT`: the time budget ran out. */
export const TimeoutError = defineError("TIMEOUT", "TimeoutError");
/** An instance of {@link TimeoutError}. */
export type TimeoutError = InstanceType<typeof TimeoutError>;
/** `CANCELLED`: the caller cancelled. */
export const CancelledError = defineError("CANCELLED", "CancelledError");
/** An instance of {@link CancelledError}. */
export type CancelledError = InstanceType<typeof CancelledError>;
/** `UNAVAILABLE`: a connection was lost with the request in flight. */
export const UnavailableError = defineError("UNAVAILABLE", "UnavailableError");
/** An instance of {@link UnavailableError}. */
export type UnavailableError = InstanceType<typeof UnavailableError>;
/** `OVERLOADED`: every actor is busy and the queue is full. */
export const OverloadedError = defineError("OVERLOADED", "OverloadedError");
/** An instance of {@link OverloadedError}. */
export type OverloadedError = InstanceType<typeof OverloadedError>;
/** `STORAGE_FAILED`: the storage actor could not use its files. */
export const StorageFailedError = defineError("STORAGE_FAILED", "StorageFailedError");
/** An instance of {@link StorageFailedError}. */
export type StorageFailedError = InstanceType<typeof StorageFailedError>;
/** `INTERNAL`: an unexpected failure inside a part. */
export const InternalError = defineError("INTERNAL", "InternalError");
/** An instance of {@link InternalError}. */
export type InternalError = InstanceType<typeof InternalError>;

const CLASSES = {
  BAD_REQUEST: BadRequestError,
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NO_ROUTE: NoRouteError,
  NOT_FOUND: NotFoundError,
  TOO_LARGE: TooLargeError,
  TIMEOUT: TimeoutError,
  CANCELLED: CancelledError,
  UNAVAILABLE: UnavailableError,
  OVERLOADED: OverloadedError,
  STORAGE_FAILED: StorageFailedError,
  INTERNAL: InternalError,
} as const satisfies Record<Code, new (message: string) => StrongroomError>;

/**
 * Builds the error class instance for a code, as a receiver of an `err` frame does.
 *
 * @param code A code from the registry.
 * @param message The message of the error.
 * @param options `cause`, and `retryable` as the sender set it.
 * @returns An instance of the class for that code.
 * @example Raising an error received from the wire
 * ```ts
 * import { errorForCode, NotFoundError } from "./errors.ts";
 * errorForCode("NOT_FOUND", "No record matches") instanceof NotFoundError; // true
 * ```
 */
export function errorForCode(
  code: Code,
  message: string,
  options?: ErrorOptions & { retryable?: boolean },
): StrongroomError {
  return new CLASSES[code](message, options);
}

/**
 * Turns anything thrown into a {@link StrongroomError}, hiding the details of
 * unexpected failures behind `INTERNAL` so that no internal text reaches a caller.
 *
 * @param error What was thrown.
 * @returns `error` itself when it already carries a code, else an `INTERNAL` error caused by it.
 */
export function asStrongroomError(error: unknown): StrongroomError {
  if (error instanceof StrongroomError) return error;
  return new InternalError("Unexpected failure while handling the request", { cause: error });
}
