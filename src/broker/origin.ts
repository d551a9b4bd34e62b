/**
 * Which web pages may open a WebSocket to the broker. Browsers send an
 * `Origin` header with every WebSocket upgrade; programs (the client library
 * on Node or Deno, the actors) send none and are not concerned. A page is let
 * in when it was served by the broker itself, or when its origin is on the
 * allow-list. Without this, any site a person visits could have their browser
 * store records in a broker on their loopback, where clients need no token.
 *
 * @module
 */
import { isLoopback } from "./options.ts";

/** What an upgrade request says about where it comes from. */
export interface UpgradeOrigin {
  /** The `Origin` header, absent for programs. */
  origin: string | undefined;
  /** The `Host` header. */
  host: string | undefined;
  /** Whether the connection is TLS. */
  secure: boolean;
}

/**
 * Decides whether an upgrade may proceed.
 *
 * @param upgrade Origin, host and scheme of the request.
 * @param allowed Origins let in besides the broker's own; `"*"` lets any in.
 * @param loopbackOnly Whether the broker listens on loopback: then its own pages must be
 *   addressed by a loopback name too, so that a site whose name was made to resolve to
 *   127.0.0.1 (DNS rebinding) does not pass for the broker's own page.
 * @returns Whether the request may open a WebSocket.
 * @example A page served by the broker
 * ```ts
 * import { originAllowed } from "./origin.ts";
 * originAllowed({ origin: "http://127.0.0.1:7070", host: "127.0.0.1:7070", secure: false }, [], true); // true
 * originAllowed({ origin: "https://evil.example", host: "127.0.0.1:7070", secure: false }, [], true); // false
 * ```
 */
export function originAllowed(upgrade: UpgradeOrigin, allowed: readonly string[], loopbackOnly: boolean): boolean {
  const { origin, host, secure } = upgrade;
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host === undefined || url.host !== host.toLowerCase() || url.protocol !== (secure ? "https:" : "http:")) return false;
  return !loopbackOnly || isLoopback(url.hostname.replace(/^\[(.*)\]$/, "$1"));
}
