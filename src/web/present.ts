/**
 * What the page shows for an error and for retrieved bytes: plain data, no
 * DOM, so that it is tested on every runtime.
 *
 * @module
 */
import { StrongroomError } from "../client/mod.ts";

/** An error as the page shows it: the protocol's code and its message. */
export interface ErrorView {
  /** A code of the registry, such as `NOT_FOUND`; `INTERNAL` for anything unexpected. */
  code: string;
  /** The message, in sentence case. */
  message: string;
}

/** Retrieved bytes as the page shows them. */
export interface PayloadView {
  /** The bytes as text when they are UTF-8 without control characters, else `null`. */
  text: string | null;
  /** Their size for people, such as `"12 bytes"` or `"1.5 KiB"`. */
  size: string;
}

/**
 * Describes a failure for the page.
 *
 * @param error What a client call threw.
 * @returns Its code and message.
 * @example A miss
 * ```ts
 * import { NotFoundError } from "../client/mod.ts";
 * import { describeError } from "./present.ts";
 * describeError(new NotFoundError("No record matches this id and key")).code; // "NOT_FOUND"
 * ```
 */
export function describeError(error: unknown): ErrorView {
  if (error instanceof StrongroomError) return { code: error.code, message: error.message };
  const message = error instanceof Error && error.message ? error.message : "Unexpected failure";
  return { code: "INTERNAL", message };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
// Tabs and line breaks are text; other C0 controls and DEL mean binary data.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Describes retrieved bytes for the page.
 *
 * @param bytes The bytes.
 * @returns Their text, if they are text, and their size.
 * @example Text and binary
 * ```ts
 * import { describePayload } from "./present.ts";
 * describePayload(new TextEncoder().encode("hello")); // { text: "hello", size: "5 bytes" }
 * describePayload(new Uint8Array([0xff])); // { text: null, size: "1 byte" }
 * ```
 */
export function describePayload(bytes: Uint8Array): PayloadView {
  let text: string | null;
  try {
    text = utf8.decode(bytes);
    if (CONTROL.test(text)) text = null;
  } catch {
    text = null;
  }
  return { text, size: formatSize(bytes.byteLength) };
}

function formatSize(bytes: number): string {
  if (bytes === 1) return "1 byte";
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KiB"] : [bytes / (1024 * 1024), "MiB"];
  return `${Number(value.toFixed(1))} ${unit}`;
}
