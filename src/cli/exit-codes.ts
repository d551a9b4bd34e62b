/**
 * Exit statuses of the command line: one per error class, so that scripts
 * can tell a missing record from a broker that is down.
 *
 * @module
 */
import type { Code } from "../protocol/wire/mod.ts";

/** Exit status for success, usage errors and each error code. */
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
} as const satisfies Record<Code | "OK" | "USAGE", number>;
