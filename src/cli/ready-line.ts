/**
 * The one line each part prints on stdout once it is up, which launchers
 * and tests wait for.
 *
 * @module
 */

/** The ready line of each part starts with this. */
export const READY_PREFIX = "strongroom";

/**
 * Reads the broker's URL off its ready line, as a URL this host reaches it
 * at: a broker listening on every interface is reached through loopback.
 *
 * @param line The broker's ready line.
 * @returns The URL.
 * @throws {Error} When the line is not the broker's ready line.
 * @example
 * ```ts
 * import { brokerUrl } from "./ready-line.ts";
 * brokerUrl("strongroom broker listening on ws://0.0.0.0:7070"); // "ws://127.0.0.1:7070"
 * ```
 */
export function brokerUrl(line: string): string {
  const listening = /listening on (\S+)/.exec(line)?.[1];
  if (listening === undefined) throw new Error(`Not the broker's ready line: ${JSON.stringify(line)}`);
  return listening.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, "//127.0.0.1");
}
