/**
 * The logger the command line injects into the parts: one line per event on
 * stderr, `level name message key=value…`.
 *
 * @module
 */
import type { LogFields, Logger } from "../protocol/peer/mod.ts";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** A log level. */
export type LogLevel = keyof typeof LEVELS;

/** The log levels, least severe first. */
export const LOG_LEVELS = Object.keys(LEVELS) as readonly LogLevel[];

/**
 * Whether a value names a log level.
 *
 * @param value Any value.
 * @returns `true` for `debug`, `info`, `warn` and `error`.
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(LEVELS, value);
}

/**
 * Makes a logger that writes to stderr.
 *
 * @param name The part's name, shown on every line.
 * @param level The lowest level written. @default "info"
 * @returns The logger.
 */
export function consoleLogger(name: string, level: LogLevel = "info"): Logger {
  const make = (bound: LogFields): Logger => {
    const write = (at: LogLevel, message: string, fields?: LogFields) => {
      if (LEVELS[at] < LEVELS[level]) return;
      let line = `${at} ${name} ${message}`;
      for (const [key, value] of Object.entries({ ...bound, ...fields })) {
        if (value !== undefined) line += ` ${key}=${typeof value === "string" && /\s/.test(value) ? JSON.stringify(value) : value}`;
      }
      process.stderr.write(`${line}\n`);
    };
    return {
      debug: (message, fields) => write("debug", message, fields),
      info: (message, fields) => write("info", message, fields),
      warn: (message, fields) => write("warn", message, fields),
      error: (message, fields) => write("error", message, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}
