/**
 * Settings of the commands that connect to a broker as a client (`store`,
 * `retrieve`, `delete`, `status`, `repl`, `bench`), and of the actors'
 * connection to it.
 *
 * @module
 */
import { DEFAULT_TIMEOUT_MS, MAX_TTL_MS } from "../protocol/wire/mod.ts";
import { bool, integer, path, text } from "./_setting-parsers.ts";
import { type Ambient, setting } from "./setting.ts";

// The broker's address as clients find it: a wildcard listen address is reached on loopback.
function defaultUrl(ambient: Ambient): string {
  const host = String(ambient.get("host"));
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `ws://${reachable.includes(":") ? `[${reachable}]` : reachable}:${String(ambient.get("port"))}`;
}

/** The client settings by name. */
export const CLIENT_SETTINGS = {
  url: setting({
    name: "url",
    flag: "url",
    placeholder: "URL",
    env: "STRONGROOM_URL",
    file: true,
    fallback: defaultUrl,
    shownDefault: "ws://<host>:<port> of STRONGROOM_HOST and STRONGROOM_PORT, else ws://127.0.0.1:7070",
    summary: "broker URL to connect to",
    parse: text((v) => (/^wss?:\/\/[^\s/]+/.test(v) ? undefined : `expected a ws:// or wss:// URL, got ${JSON.stringify(v)}`)),
  }),
  token: setting({ name: "token", flag: "token", placeholder: "TOKEN", env: "STRONGROOM_TOKEN", file: true, fallback: undefined, summary: "client token (other users see a flag in ps: prefer STRONGROOM_TOKEN or --token-file)", parse: text() }),
  tlsCa: setting({ name: "tlsCa", flag: "tls-ca", placeholder: "FILE", env: "STRONGROOM_TLS_CA", file: true, fallback: undefined, summary: "PEM file of certificates to trust for wss:// (a private CA), beyond the system's", parse: path }),
  tokenFile: setting({ name: "tokenFile", flag: "token-file", placeholder: "FILE", env: "STRONGROOM_TOKEN_FILE", file: true, fallback: undefined, summary: "file whose first line is the client token (kept out of argv and the environment)", parse: path }),
  context: setting({ name: "context", flag: "context", placeholder: "NAME", env: "STRONGROOM_CONTEXT", file: true, fallback: undefined, shownDefault: "the one \"strongroom context use\" chose", summary: "saved context whose url, token file, tls-ca and timeout to use", parse: text() }),
  timeout: setting({ name: "timeout", flag: "timeout", placeholder: "MS", env: "STRONGROOM_TIMEOUT", file: true, fallback: DEFAULT_TIMEOUT_MS, summary: "time budget of a call, in ms", parse: integer(1, MAX_TTL_MS) }),
};

/** Settings of what `retrieve` does with the bytes. */
export const OUTPUT_SETTINGS = {
  output: setting({ name: "output", flag: "output", short: "o", placeholder: "FILE", file: false, fallback: undefined, shownDefault: "stdout", summary: "write the bytes to this file (made readable by you alone) instead of stdout", parse: path }),
  force: setting({ name: "force", flag: "force", boolean: true, file: false, fallback: false, summary: "write bytes that are not text to a terminal all the same", parse: bool }),
};
