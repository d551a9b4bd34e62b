/**
 * The broker's options: defaults applied in one place, every value checked
 * before anything listens.
 *
 * @module
 */
import { type Logger, NOOP_LOGGER } from "../protocol/peer/mod.ts";
import {
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STREAM_IDLE_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_TTL_MS,
  maxPayloadFor,
} from "../protocol/wire/mod.ts";

/** Certificate and key for `wss://`, PEM-encoded. */
export interface TlsOptions {
  /** The certificate chain. */
  cert: string | Buffer;
  /** The private key. */
  key: string | Buffer;
}

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 7070 */
  port?: number;
  /** The secret actors present to register a role. Required. */
  actorSecret: string;
  /**
   * Client tokens and the tenant each maps to. Required when `host` is not a
   * loopback address; without a token a client is accepted (tenant `""`) only on loopback. @default {}
   */
  tokens?: Readonly<Record<string, string>>;
  /** Certificate and key: the broker then speaks `wss://`. @default undefined */
  tls?: TlsOptions;
  /**
   * Web origins, besides the broker's own pages, whose pages may connect
   * (`"*"`: any). Programs send no origin and are not concerned. @default []
   */
  allowedOrigins?: readonly string[];
  /** Roles clients may call (`$broker` always). @default ["encryptor"] */
  publicRoles?: readonly string[];
  /** Largest frame accepted, in bytes; larger frames close the connection with 1009. @default 16777216 */
  maxFrame?: number;
  /** Largest record id, in bytes, advertised to clients. @default 1024 */
  maxId?: number;
  /** Most requests one connection may have in flight; more are answered `OVERLOADED`. @default 1024 */
  maxInFlight?: number;
  /** Most open connections; more are refused with HTTP 503. @default 4096 */
  maxConnections?: number;
  /** Most requests waiting per role for a free actor; more are answered `OVERLOADED`. @default 4096 */
  maxQueue?: number;
  /** Most bytes of requests waiting per role; more are answered `OVERLOADED`. @default 268435456 */
  maxQueueBytes?: number;
  /**
   * Most bytes waiting to be sent to one peer; a peer over it does not read
   * and is closed. At least twice `maxFrame`. @default 67108864
   */
  maxBuffered?: number;
  /** Longest silence of a peer, in ms, before it is cut off (it is pinged twice per interval). 0: no pings. @default 10000 */
  heartbeat?: number;
  /** Time budget of a request without `ttl`, in ms. @default 10000 */
  defaultTimeout?: number;
  /** Time a new connection has to send its `hello`, in ms. @default 5000 */
  helloTimeout?: number;
  /**
   * Time after the start during which requests for a role without actors
   * wait for one (within their deadline) instead of `NO_ROUTE`, so that
   * clients that reconnect before the actors do are served. 0: none. @default 5000
   */
  warmup?: number;
  /** Time a stream may go without a chunk or credit moving, once started, before it fails `TIMEOUT`, in ms. @default 30000 */
  streamIdle?: number;
  /** On close, time given to requests in flight before they fail with `UNAVAILABLE`, in ms. @default 10000 */
  shutdownTimeout?: number;
  /** Where lifecycle events go. @default NOOP_LOGGER */
  logger?: Logger;
}

/**
 * The default of every option that has one: what {@link resolveBrokerOptions}
 * applies and what the command line shows and hands on.
 */
export const BROKER_DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  port: 7070,
  maxFrame: DEFAULT_MAX_FRAME,
  maxId: DEFAULT_MAX_ID,
  maxInFlight: DEFAULT_MAX_IN_FLIGHT,
  maxConnections: 4096,
  maxQueue: 4096,
  maxQueueBytes: 256 * 1024 * 1024,
  maxBuffered: 64 * 1024 * 1024,
  heartbeat: 10_000,
  defaultTimeout: DEFAULT_TIMEOUT_MS,
  helloTimeout: DEFAULT_HELLO_TIMEOUT_MS,
  warmup: 5000,
  streamIdle: DEFAULT_STREAM_IDLE_MS,
  // As long as a request's default budget: a request in flight when the stop begins ends
  // within it, answered or timed out.
  shutdownTimeout: DEFAULT_TIMEOUT_MS,
});

/** Options with every default applied. */
export type ResolvedBrokerOptions = Required<Omit<BrokerOptions, "tls">> & Pick<BrokerOptions, "tls">;

/**
 * Applies the defaults and checks every option.
 *
 * @param options What the caller gave.
 * @returns Complete options.
 * @throws {TypeError} When `actorSecret` is missing or empty, or a token or tenant is not a string.
 * @throws {RangeError} When a limit is out of range, or a non-loopback `host` has no tokens.
 */
export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  const resolved: ResolvedBrokerOptions = {
    ...BROKER_DEFAULTS,
    tokens: {},
    tls: undefined,
    allowedOrigins: [],
    publicRoles: ["encryptor"],
    logger: NOOP_LOGGER,
    ...withoutUndefined(options),
  };
  if (typeof resolved.actorSecret !== "string" || resolved.actorSecret.length === 0) {
    throw new TypeError('Invalid option "actorSecret": expected a non-empty string');
  }
  integer(resolved, "port", 0, 65_535);
  for (const name of ["maxFrame", "maxInFlight", "maxConnections", "maxQueueBytes", "maxBuffered"] as const) {
    integer(resolved, name, 1, Number.MAX_SAFE_INTEGER);
  }
  // An id is bound into the locator and the associated data with a 2-byte length.
  integer(resolved, "maxId", 1, 65_535);
  integer(resolved, "maxQueue", 0, Number.MAX_SAFE_INTEGER);
  integer(resolved, "heartbeat", 0, MAX_TTL_MS);
  integer(resolved, "warmup", 0, MAX_TTL_MS);
  for (const name of ["defaultTimeout", "helloTimeout", "shutdownTimeout", "streamIdle"] as const) integer(resolved, name, 1, MAX_TTL_MS);
  if (maxPayloadFor(resolved.maxFrame, resolved.maxId) === 0) {
    throw new RangeError('Invalid option "maxId": it leaves no room for a payload in a frame of "maxFrame" bytes');
  }
  if (resolved.maxBuffered < 2 * resolved.maxFrame) {
    throw new RangeError('Invalid option "maxBuffered": expected at least twice "maxFrame"');
  }
  for (const [token, tenant] of Object.entries(resolved.tokens)) {
    if (typeof tenant !== "string" || token.length === 0) throw new TypeError('Invalid option "tokens": expected non-empty tokens mapped to tenant names');
  }
  if (!isLoopback(resolved.host) && Object.keys(resolved.tokens).length === 0) {
    throw new RangeError(`Invalid option "tokens": a broker listening on "${resolved.host}", which is not a loopback address, needs client tokens`);
  }
  return resolved;
}

/**
 * Tells whether a listen address only accepts connections from this host.
 *
 * @param host The listen address.
 * @returns `true` for localhost, 127.0.0.0/8 and ::1.
 */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function integer(options: ResolvedBrokerOptions, name: keyof ResolvedBrokerOptions, min: number, max: number): void {
  const value = options[name];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Invalid option "${name}": expected an integer from ${min} to ${max}`);
  }
}

function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
