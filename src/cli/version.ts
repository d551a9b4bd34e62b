/**
 * The version of strongroom, as `package.json` gives it.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/**
 * Reads the version.
 *
 * @returns Such as `"0.1.0"`.
 */
export function version(): string {
  // Two folders up from src/cli/ and from dist/cli/ alike.
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return String(manifest.version);
}
