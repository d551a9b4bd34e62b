/**
 * Settings of the broker's security, limits and liveness, and of how long
 * a stopping part waits for requests in flight: one row each, with its
 * flag, environment variable, default and check.
 *
 * @module
 */

import { integer, origins, path } from "./_setting-parsers.ts";
import type { SettingSpec } from "./setting-specs.ts";

/** The settings of {@link BROKER_SETTING_SPECS}. */
export interface BrokerSettings {
  /** File of client tokens, one `tenant token` per line. */
  tokens: string | undefined;
  /** PEM certificate file: the broker then speaks `wss://`. */
  tlsCert: string | undefined;
  /** PEM private key file of the certificate. */
  tlsKey: string | undefined;
  /** Web origins whose pages may connect, besides the broker's own (`*`: any). */
  allowOrigins: string[];
  /** PEM file of certificates that clients and actors trust for a `wss://` broker, beyond the system's. */
  tlsCa: string | undefined;
  /** Milliseconds of silence after which the broker cuts a peer off; 0: no pings. */
  heartbeat: number;
  /** Largest frame, in bytes. */
  maxFrame: number;
  /** Largest record id, in bytes. */
  maxId: number;
  /** Most requests in flight per connection. */
  maxInFlight: number;
  /** Most open connections. */
  maxConnections: number;
  /** Most requests waiting per role. */
  maxQueue: number;
  /** Most bytes waiting to be sent to one peer before it is closed. */
  maxBuffered: number;
  /** Milliseconds after its start during which the broker holds requests for roles without actors. */
  routeWarmup: number;
  /** Milliseconds a stopping part gives requests in flight. */
  grace: number;
}

const MAX_MS = 2_147_483_647;
const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** The broker's settings, in the order `--help` lists them. */
export const BROKER_SETTING_SPECS: readonly SettingSpec[] = [
  { name: "tokens", flag: "tokens", env: "STRONGROOM_TOKENS", file: true, fallback: undefined, summary: "file of client tokens, one `tenant token` per line (required off loopback)", parse: path },
  { name: "tlsCert", flag: "tls-cert", env: "STRONGROOM_TLS_CERT", file: true, fallback: undefined, summary: "PEM certificate file: the broker speaks wss://", parse: path },
  { name: "tlsKey", flag: "tls-key", env: "STRONGROOM_TLS_KEY", file: true, fallback: undefined, summary: "PEM private key file of --tls-cert", parse: path },
  { name: "allowOrigins", flag: "allow-origin", env: "STRONGROOM_ALLOW_ORIGINS", file: true, fallback: [], summary: "web origins whose pages may connect, besides the broker's own (comma-separated; * for any)", parse: origins },
  { name: "tlsCa", flag: "tls-ca", env: "STRONGROOM_TLS_CA", file: true, fallback: undefined, summary: "PEM file of certificates that clients and actors trust for wss:// (a private CA)", parse: path },
  { name: "heartbeat", flag: "heartbeat", env: "STRONGROOM_HEARTBEAT", file: true, fallback: 10_000, summary: "ms of silence after which the broker cuts a peer off; it pings twice as often (0: off)", parse: integer(0, MAX_MS) },
  { name: "maxFrame", flag: "max-frame", env: "STRONGROOM_MAX_FRAME", file: true, fallback: 16 * 1024 * 1024, summary: "largest frame, in bytes", parse: integer(4097, MAX_BYTES) },
  { name: "maxId", flag: "max-id", env: "STRONGROOM_MAX_ID", file: true, fallback: 1024, summary: "largest record id, in bytes", parse: integer(1, 65_535) },
  { name: "maxInFlight", flag: "max-in-flight", env: "STRONGROOM_MAX_IN_FLIGHT", file: true, fallback: 1024, summary: "most requests in flight per connection", parse: integer(1, MAX_BYTES) },
  { name: "maxConnections", flag: "max-connections", env: "STRONGROOM_MAX_CONNECTIONS", file: true, fallback: 4096, summary: "most open connections", parse: integer(1, MAX_BYTES) },
  { name: "maxQueue", flag: "max-queue", env: "STRONGROOM_MAX_QUEUE", file: true, fallback: 4096, summary: "most requests waiting per role for a free actor", parse: integer(0, MAX_BYTES) },
  { name: "maxBuffered", flag: "max-buffered", env: "STRONGROOM_MAX_BUFFERED", file: true, fallback: 64 * 1024 * 1024, summary: "bytes unsent to a peer past which it is closed (>= 2 x max-frame)", parse: integer(1, MAX_BYTES) },
  { name: "routeWarmup", flag: "route-warmup", env: "STRONGROOM_ROUTE_WARMUP", file: true, fallback: 5000, summary: "ms after start the broker holds requests for roles without actors", parse: integer(0, MAX_MS) },
  { name: "grace", flag: "grace", env: "STRONGROOM_GRACE", file: true, fallback: 8000, summary: "ms a stopping part gives requests in flight", parse: integer(0, MAX_MS) },
];
