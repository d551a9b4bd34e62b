/**
 * The registry of error codes that travel in `err` frames.
 *
 * Every code is documented here and nowhere else; a code is never reused for
 * another meaning and never removed once released.
 *
 * @module
 */

/** Describes one error code: whether a retry may succeed and what it means. */
export interface CodeInfo {
  /** Whether the same request may succeed if sent again unchanged. */
  readonly retryable: boolean;
  /** One sentence for people: when the code is used. */
  readonly description: string;
}

/** Every error code of the wire protocol, with its documentation. */
export const CODES = {
  BAD_REQUEST: {
    retryable: false,
    description: "The request is malformed: a field is missing, has the wrong type or is out of range",
  },
  UNAUTHENTICATED: {
    retryable: false,
    description: "The peer presented no valid token or actor secret where one is required",
  },
  FORBIDDEN: {
    retryable: false,
    description: "The peer is authenticated but may not do this, such as a client calling an internal role",
  },
  NO_ROUTE: {
    retryable: true,
    description: "No actor of the target role is registered with the broker",
  },
  NOT_FOUND: {
    retryable: false,
    description: "No record matches this id and key (an unknown id and a wrong key are the same miss)",
  },
  TOO_LARGE: {
    retryable: false,
    description: "A frame, id or payload is larger than the advertised limit",
  },
  TIMEOUT: {
    retryable: true,
    description: "The request's time budget ran out before an answer came",
  },
  CANCELLED: {
    retryable: false,
    description: "The caller cancelled the request",
  },
  UNAVAILABLE: {
    retryable: true,
    description: "The connection to the broker or to the serving actor was lost while the request was in flight",
  },
  OVERLOADED: {
    retryable: true,
    description: "Every actor of the role is busy and the queue is full",
  },
  STORAGE_FAILED: {
    retryable: false,
    description: "The storage actor could not write or read its files (disk full, I/O error)",
  },
  INTERNAL: {
    retryable: false,
    description: "An unexpected failure inside a part; the part's log has the details",
  },
} as const satisfies Record<string, CodeInfo>;

/** One of the error codes of {@link CODES}. */
export type Code = keyof typeof CODES;

/** The codes of {@link CODES} as a list, in registry order. */
export const CODE_LIST: readonly Code[] = Object.keys(CODES) as Code[];

/**
 * Tells whether a value is a known error code.
 *
 * @param value Anything, usually a field read off the wire.
 * @returns `true` when `value` is a key of {@link CODES}.
 * @example Checking a code from the wire
 * ```ts
 * import { isCode } from "./codes.ts";
 * isCode("NOT_FOUND"); // true
 * isCode("toString"); // false
 * ```
 */
export function isCode(value: unknown): value is Code {
  return typeof value === "string" && Object.hasOwn(CODES, value);
}
