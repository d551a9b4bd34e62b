/**
 * The logger interface every part accepts. Libraries never write to the
 * console themselves; the entry points inject a logger.
 *
 * @module
 */

/** Context attached to a log line. Never put keys, ids or payloads in it. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A minimal structured logger. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** A logger that drops everything: the default of every library. */
export const NOOP_LOGGER: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return NOOP_LOGGER;
  },
};
