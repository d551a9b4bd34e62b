/**
 * Where `retrieve` puts the bytes: a file it writes whole or not at all,
 * or stdout, which it refuses to fill with binary when stdout is a terminal.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { rm, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileProblem, LocalFileError, UsageError } from "./errors.ts";
import { writeOut } from "./with-client.ts";

const TEXT = new TextDecoder("utf-8", { fatal: true });

/**
 * Whether bytes would garble a terminal: not UTF-8, or holding control
 * characters other than tab, line feed and carriage return (escape
 * sequences included).
 *
 * @param bytes The bytes.
 * @returns `true` for bytes that are not plain text.
 * @example
 * ```ts
 * import { isBinary } from "./output-file.ts";
 * isBinary(new TextEncoder().encode("hello\n")); // false
 * isBinary(new Uint8Array([0, 159, 146, 150])); // true
 * ```
 */
export function isBinary(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = TEXT.decode(bytes);
  } catch {
    return true;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text);
}

/**
 * Writes the bytes to a file, whole: to a new file beside it, readable by
 * this user alone, renamed over it once written.
 *
 * @param path The file.
 * @param bytes The bytes.
 * @throws {LocalFileError} When it cannot be written.
 */
export async function writeFileWhole(path: string, bytes: Uint8Array): Promise<void> {
  const partial = join(dirname(path), `.${randomBytes(6).toString("hex")}.strongroom-partial`);
  try {
    await writeFile(partial, bytes, { mode: 0o600, flag: "wx" });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw new LocalFileError(`Cannot write file "${path}" of --output: ${fileProblem(error)}`, { cause: error });
  }
}

/**
 * Writes the bytes to stdout, unless it is a terminal and they are not text.
 *
 * @param bytes The bytes.
 * @param force Whether to write binary to a terminal all the same.
 * @throws {UsageError} When stdout is a terminal, the bytes are binary, and `force` is not set.
 */
export async function writeToStdout(bytes: Uint8Array, force: boolean): Promise<void> {
  if (process.stdout.isTTY && !force && isBinary(bytes)) {
    throw new UsageError(
      `Refusing to write ${bytes.length} bytes of binary data to the terminal: redirect stdout (> file), give -o FILE, or --force to write them all the same`,
    );
  }
  await writeOut(bytes);
}
