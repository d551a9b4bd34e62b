/**
 * Settings of the broker's security, limits and liveness, and of how long
 * a stopping part waits for requests in flight: one row each, with its
 * flag, environment variable, default and check. Every default is read
 * from the option it sets, where the broker and the actors declare it.
 *
 * @module
 */
import { BROKER_DEFAULTS } from "../broker/mod.ts";
import { MAX_TTL_MS } from "../protocol/wire/mod.ts";
import { integer, origins, path, text } from "./_setting-parsers.ts";
import { setting } from "./setting.ts";

const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * The grace period of every part, in ms: the broker's shutdown timeout,
 * which is the actors' drain timeout too (a request's default budget, so
 * that a request in flight when the stop begins ends within it).
 */
export const DEFAULT_GRACE_MS = BROKER_DEFAULTS.shutdownTimeout;

/** The broker's settings by name. */
export const BROKER_SETTINGS = {
  host: setting({ name: "host", flag: "host", placeholder: "HOST", env: "STRONGROOM_HOST", file: true, fallback: BROKER_DEFAULTS.host, summary: "interface the broker listens on", parse: text() }),
  port: setting({ name: "port", flag: "port", placeholder: "N", env: "STRONGROOM_PORT", file: true, fallback: BROKER_DEFAULTS.port, summary: "port the broker listens on (0: any free port)", parse: integer(0, 65_535) }),
  tokens: setting({ name: "tokens", flag: "tokens", placeholder: "FILE", env: "STRONGROOM_TOKENS", file: true, fallback: undefined, summary: "file of client tokens, one `tenant token` per line (required off loopback)", parse: path }),
  tlsCert: setting({ name: "tlsCert", flag: "tls-cert", placeholder: "FILE", env: "STRONGROOM_TLS_CERT", file: true, fallback: undefined, summary: "PEM certificate file: the broker speaks wss://", parse: path }),
  tlsKey: setting({ name: "tlsKey", flag: "tls-key", placeholder: "FILE", env: "STRONGROOM_TLS_KEY", file: true, fallback: undefined, summary: "PEM private key file of --tls-cert", parse: path }),
  allowOrigins: setting({ name: "allowOrigins", flag: "allow-origin", placeholder: "ORIGINS", env: "STRONGROOM_ALLOW_ORIGINS", file: true, fallback: [] as string[], shownDefault: "none", summary: "web origins whose pages may connect, besides the broker's own (comma-separated; * for any)", parse: origins }),
  heartbeat: setting({ name: "heartbeat", flag: "heartbeat", placeholder: "MS", env: "STRONGROOM_HEARTBEAT", file: true, fallback: BROKER_DEFAULTS.heartbeat, summary: "ms of silence after which the broker cuts a peer off; it pings twice as often (0: off)", parse: integer(0, MAX_TTL_MS) }),
  maxFrame: setting({ name: "maxFrame", flag: "max-frame", placeholder: "BYTES", env: "STRONGROOM_MAX_FRAME", file: true, fallback: BROKER_DEFAULTS.maxFrame, summary: "largest frame, in bytes", parse: integer(4097, MAX_BYTES) }),
  maxId: setting({ name: "maxId", flag: "max-id", placeholder: "BYTES", env: "STRONGROOM_MAX_ID", file: true, fallback: BROKER_DEFAULTS.maxId, summary: "largest record id, in bytes", parse: integer(1, 65_535) }),
  maxInFlight: setting({ name: "maxInFlight", flag: "max-in-flight", placeholder: "N", env: "STRONGROOM_MAX_IN_FLIGHT", file: true, fallback: BROKER_DEFAULTS.maxInFlight, summary: "most requests in flight per connection", parse: integer(1, MAX_BYTES) }),
  maxConnections: setting({ name: "maxConnections", flag: "max-connections", placeholder: "N", env: "STRONGROOM_MAX_CONNECTIONS", file: true, fallback: BROKER_DEFAULTS.maxConnections, summary: "most open connections", parse: integer(1, MAX_BYTES) }),
  maxQueue: setting({ name: "maxQueue", flag: "max-queue", placeholder: "N", env: "STRONGROOM_MAX_QUEUE", file: true, fallback: BROKER_DEFAULTS.maxQueue, summary: "most requests waiting per role for a free actor", parse: integer(0, MAX_BYTES) }),
  maxBuffered: setting({ name: "maxBuffered", flag: "max-buffered", placeholder: "BYTES", env: "STRONGROOM_MAX_BUFFERED", file: true, fallback: BROKER_DEFAULTS.maxBuffered, summary: "bytes unsent to a peer past which it is closed (>= 2 x max-frame)", parse: integer(1, MAX_BYTES) }),
  routeWarmup: setting({ name: "routeWarmup", flag: "route-warmup", placeholder: "MS", env: "STRONGROOM_ROUTE_WARMUP", file: true, fallback: BROKER_DEFAULTS.warmup, summary: "ms after start the broker holds requests for roles without actors", parse: integer(0, MAX_TTL_MS) }),
  grace: setting({ name: "grace", flag: "grace", placeholder: "MS", env: "STRONGROOM_GRACE", file: true, fallback: DEFAULT_GRACE_MS, summary: "ms a stopping part gives requests in flight (the launcher kills a part that takes longer)", parse: integer(0, MAX_TTL_MS) }),
};
