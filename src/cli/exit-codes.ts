/**
 * Exit statuses of the command line: one per error class, so that scripts
 * can tell a missing record from a broker that is down, and a mistyped
 * command from a missing file. Every status is documented here once; the
 * table in `docs/cli.md` is generated from {@link EXIT_STATUS_MEANINGS}.
 *
 * @module
 */
import type { Code } from "../protocol/wire/mod.ts";

/** Exit status for success, the command line's own errors and each error code of the service. */
export const EXIT_CODES = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  BAD_REQUEST: 4,
  UNAUTHENTICATED: 5,
  FORBIDDEN: 6,
  TOO_LARGE: 7,
  TIMEOUT: 8,
  UNAVAILABLE: 9,
  NO_ROUTE: 10,
  OVERLOADED: 11,
  STORAGE_FAILED: 12,
  CANCELLED: 13,
  LOCAL_FILE: 14,
  CANNOT_LISTEN: 15,
} as const satisfies Record<Code | "OK" | "USAGE" | "LOCAL_FILE" | "CANNOT_LISTEN", number>;

/** The name of an exit status, as the error line shows it. */
export type ExitName = keyof typeof EXIT_CODES;

/** What each exit status means, for people. */
export const EXIT_STATUS_MEANINGS: Readonly<Record<ExitName, string>> = {
  OK: "success",
  INTERNAL: "a failure inside strongroom (a bug): the message says where",
  USAGE: "the command line cannot be used as given: an unknown command or flag, a missing argument, an invalid setting, binary output to a terminal",
  LOCAL_FILE: "a file or directory of this machine that the command was given cannot be read or written: missing, a directory where a file is needed, or no permission",
  CANNOT_LISTEN: "the broker cannot listen where it was told: the port is in use or needs privileges, or the host is not an address of this machine",
  NOT_FOUND: "no record matches this id and key (a wrong key and an unknown id are the same miss)",
  BAD_REQUEST: "the service refused the request as malformed, such as a key that is not 43 characters of base64url",
  UNAUTHENTICATED: "the token is missing or wrong",
  FORBIDDEN: "the token may not do this",
  TOO_LARGE: "the id or the payload is over the service's limit",
  TIMEOUT: "no answer within the time budget (--timeout)",
  UNAVAILABLE: "the service cannot be reached, or went away during the call",
  NO_ROUTE: "no actor serves the request's role",
  OVERLOADED: "the service is too busy: try again later",
  STORAGE_FAILED: "the storage actor could not write or read its disk",
  CANCELLED: "the call was cancelled",
};
