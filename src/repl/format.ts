/**
 * How the REPL shows bytes: as text when they are printable UTF-8, else as
 * a short hex dump with the length.
 *
 * @module
 */

const PREVIEW_BYTES = 64;
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Shows bytes for a person.
 *
 * @param bytes What a retrieve returned.
 * @returns Printable text as it is, or the length and a hex dump of the first 64 bytes.
 * @example Binary bytes
 * ```ts
 * import { showBytes } from "./format.ts";
 * showBytes(new Uint8Array([0, 255])); // "2 bytes (binary):\n0000  00 ff"
 * ```
 */
export function showBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return "(0 bytes)";
  const text = printableText(bytes);
  if (text !== undefined) return text;
  const lines = [`${bytes.length} bytes (binary)${bytes.length > PREVIEW_BYTES ? `, first ${PREVIEW_BYTES}` : ""}:`];
  const shown = bytes.subarray(0, PREVIEW_BYTES);
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = [...shown.subarray(offset, offset + 16)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    lines.push(`${offset.toString(16).padStart(4, "0")}  ${row}`);
  }
  return lines.join("\n");
}

function printableText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  // Control characters other than tab and newlines would garble the terminal.
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}
