/**
 * A logger that keeps every line, for tests that check what a part reports.
 *
 * @module
 */
import type { LogFields, Logger } from "../../src/protocol/peer/mod.ts";

/** One kept line. */
export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields: LogFields;
}

/**
 * Makes a logger that appends to `lines`.
 *
 * @param lines Where lines go.
 * @param bound Fields of every line.
 * @returns The logger.
 */
export function captureLogger(lines: LogLine[], bound: LogFields = {}): Logger {
  const at = (level: LogLine["level"]) => (message: string, fields: LogFields = {}) => void lines.push({ level, message, fields: { ...bound, ...fields } });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (fields) => captureLogger(lines, { ...bound, ...fields }) };
}
