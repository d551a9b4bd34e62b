/**
 * The strongroom client: store bytes under an id and get a key back, then
 * retrieve them with the id and the key.
 *
 * @module
 */
import { type BackoffOptions, type Logger, NOOP_LOGGER, retry, Session, type SessionEvent, type SocketFactory } from "../protocol/peer/mod.ts";
import {
  type ActorsReport,
  BROKER_ROLE,
  type Code,
  DEFAULT_TIMEOUT_MS,
  expectBytes,
  expectFields,
  expectInteger,
  readAnswer,
  type StatsReport,
} from "../protocol/wire/mod.ts";
import { type BytesLike, idError, KEY_LENGTH, keyError, payloadError, plain, toBytes } from "./_bytes.ts";
import { retrieveMany, type RetrieveItem, type RetrieveResult, storeMany, type StoreItem, type StoreResult } from "./batch.ts";
import { timeoutOption } from "./_timeout.ts";
import { type ByteSource, chunksOf, type RecordStream, toReadable } from "./streams.ts";
import { platformSocketFactory } from "./transport.ts";

export { type BytesLike, KEY_LENGTH };

const ROLE = "encryptor";
// Only reads are retried: a store or delete that was in flight may have been carried out.
// NO_ROUTE too: after a broker restart, clients may be back before the actors.
const RETRIED: readonly Code[] = ["UNAVAILABLE", "OVERLOADED", "NO_ROUTE"];

/** The interface of the design: bytes in, bytes out. */
export interface Client {
  /** Encrypts and stores payload under id; resolves to the AES key. */
  store(id: Uint8Array, payload: Uint8Array): Promise<Uint8Array>;
  /** Fetches and decrypts what was stored under id with that key. */
  retrieve(id: Uint8Array, aesKey: Uint8Array): Promise<Uint8Array>;
}

/** Options of {@link connect}. */
export interface ClientOptions {
  /** The client token; optional when the broker listens on loopback. @default undefined */
  token?: string;
  /**
   * Time budget of each call, in ms, unless the call gives its own: a positive
   * number, where anything over 2³¹−1 ms (about 24.8 days), `Infinity`
   * included, means that longest budget. @default 10000
   */
  timeout?: number;
  /** Time to connect and complete the handshake, in ms, checked and capped like `timeout`. @default 10000 */
  connectTimeout?: number;
  /** A name for people, shown by the broker. @default "client" */
  name?: string;
  /** Opens the socket. @default the platform's WebSocket, or `ws` on Node 20 */
  socketFactory?: SocketFactory;
  /**
   * Whether to connect again when the connection drops. Calls made while
   * it is down wait for it within their own time budget. @default true
   */
  reconnect?: boolean;
  /** Delays between attempts to connect again. @default { initial: 100, max: 5000 } */
  backoff?: BackoffOptions;
  /** Whether `retrieve` and `retrieveMany` are tried again on `UNAVAILABLE`, `OVERLOADED` and `NO_ROUTE` within their time budget, until the client is closed for good. @default true */
  retry?: boolean;
  /** Called on every change of the connection's state. @default undefined */
  onEvent?: (event: SessionEvent) => void;
  /**
   * Where the connection's lifecycle goes: connected again (info), lost and
   * connecting again, or failing to (warn), closed (debug). Codes and close
   * reasons only, never a token, id, key or payload. @default NOOP_LOGGER
   */
  logger?: Logger;
}

/** Options of one call. */
export interface CallOptions {
  /**
   * Time budget of this call, in ms: a positive number, where anything over
   * 2³¹−1 ms (about 24.8 days), `Infinity` included, means that longest
   * budget. @default the client's `timeout`
   */
  timeout?: number;
  /** Aborting it cancels the call with `CANCELLED`. @default undefined */
  signal?: AbortSignal;
}

/** A call's checked time budget and signal. */
interface Budget {
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * A client connected to a broker.
 *
 * @example Round trip
 * ```ts
 * import { connect } from "./mod.ts";
 * const client = await connect("ws://127.0.0.1:7070");
 * const key = await client.store("invoice-42", "secret bytes");
 * const bytes = await client.retrieve("invoice-42", key);
 * await client.close();
 * ```
 */
export class StrongroomClient implements Client {
  #session: Session;
  #timeout: number;
  #retry: boolean;

  /**
   * @param session An open session.
   * @param timeout Default time budget of each call, in ms.
   * @param retry Whether `retrieve` and `retrieveMany` are tried again on `UNAVAILABLE`, `OVERLOADED` and `NO_ROUTE`.
   */
  constructor(session: Session, timeout: number, retry = true) {
    this.#session = session;
    this.#timeout = timeout;
    this.#retry = retry;
  }

  /** Largest payload the broker accepts, in bytes. */
  get maxPayload(): number {
    return this.#session.welcome.maxPayload;
  }

  /** Whether the client is connected now (it connects again by itself after a drop). */
  get connected(): boolean {
    return this.#session.connected;
  }

  /**
   * Encrypts and stores a payload under an id.
   *
   * @param id The record id (text is taken as UTF-8).
   * @param payload The bytes to keep (text is taken as UTF-8).
   * @param options Time budget and abort signal.
   * @returns The record's 32-byte key: the only way to retrieve it.
   * @throws {TooLargeError} When the id or payload is over the broker's limits.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {InternalError} When the service's answer is malformed.
   * @throws {StrongroomError} Any error code the service answers.
   */
  async store(id: BytesLike, payload: BytesLike, options?: CallOptions): Promise<Uint8Array> {
    const budget = this.#budget(options);
    const body = { id: this.#id(id), payload: toBytes(payload) };
    const error = payloadError(body.payload, this.maxPayload);
    if (error) throw error;
    const answer = await this.#call(ROLE, "store", body, budget);
    return readAnswer(ROLE, "store", () => plain(expectBytes(expectFields(answer), "key", { length: KEY_LENGTH })));
  }

  /**
   * Fetches and decrypts a record. A read changes nothing, so it is tried
   * again on `UNAVAILABLE`, `OVERLOADED` and `NO_ROUTE` while its time budget
   * lasts, but not once the client is closed for good (by `close()`, or after
   * a drop with `reconnect: false`): it then fails with `UNAVAILABLE` at once.
   *
   * @param id The record id.
   * @param key The key `store` returned.
   * @param options Time budget and abort signal.
   * @returns The stored bytes.
   * @throws {NotFoundError} When no record matches the id and key.
   * @throws {BadRequestError} When the key is not 32 bytes.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {InternalError} When the service's answer is malformed.
   * @throws {StrongroomError} Any other error code the service answers.
   */
  async retrieve(id: BytesLike, key: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
    const budget = this.#budget(options);
    const answer = await this.#read("retrieve", { id: this.#id(id), key: checkKey(key) }, budget);
    return readAnswer(ROLE, "retrieve", () => plain(expectBytes(expectFields(answer), "payload")));
  }

  /**
   * Deletes a record.
   *
   * @param id The record id.
   * @param key The key `store` returned.
   * @param options Time budget and abort signal.
   * @throws {NotFoundError} When no record matches the id and key.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {StrongroomError} Any other error code the service answers.
   */
  async delete(id: BytesLike, key: Uint8Array, options?: CallOptions): Promise<void> {
    const budget = this.#budget(options);
    await this.#call(ROLE, "delete", { id: this.#id(id), key: checkKey(key) }, budget);
  }

  /**
   * Encrypts and stores many records with one request; see `batch.ts`.
   *
   * @param items The records, each `{ id, payload }`.
   * @param options Time budget and abort signal of the whole batch.
   * @returns One result per item, in order: `{ ok: true, key }` or `{ ok: false, error }`.
   * @throws {TooLargeError} When the batch does not fit one frame or has too many items.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {InternalError} When the service's answer is malformed.
   * @throws {StrongroomError} A failure of the whole request.
   */
  async storeMany(items: readonly StoreItem[], options?: CallOptions): Promise<StoreResult[]> {
    const budget = this.#budget(options);
    const { welcome } = this.#session;
    return storeMany(items, { role: ROLE, call: (op, body) => this.#call(ROLE, op, body, budget), limits: welcome, signal: budget.signal });
  }

  /**
   * Fetches and decrypts many records with one request; see `batch.ts`. Like
   * `retrieve`, the request is tried again on `UNAVAILABLE`, `OVERLOADED` and
   * `NO_ROUTE` while its time budget lasts and the client is not closed for good.
   *
   * @param items The records, each `{ id, key }`.
   * @param options Time budget and abort signal of the whole batch.
   * @returns One result per item, in order: `{ ok: true, payload }` or `{ ok: false, error }`.
   * @throws {TooLargeError} When the batch does not fit one frame or has too many items.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {InternalError} When the service's answer is malformed.
   * @throws {StrongroomError} A failure of the whole request.
   */
  async retrieveMany(items: readonly RetrieveItem[], options?: CallOptions): Promise<RetrieveResult[]> {
    const budget = this.#budget(options);
    const { welcome } = this.#session;
    return retrieveMany(items, { role: ROLE, call: (op, body) => this.#read(op, body, budget), limits: welcome, signal: budget.signal });
  }

  /**
   * Encrypts and stores a payload of any size, read from a stream, under an
   * id. The payload travels in chunks, each sent only once the service is
   * ready for it, so memory stays bounded however large it is; the key
   * comes back once every chunk is durable. An upload that ends early in
   * any way (an error of the source, `signal`, a lost connection) leaves no
   * record.
   *
   * @param id The record id (text is taken as UTF-8).
   * @param source The payload: a web `ReadableStream` of bytes, or any async iterable of them.
   * @param options Time budget (to the first chunk; then the stream times out when idle) and abort signal.
   * @returns The record's 32-byte key.
   * @throws {TypeError} When the source is not a stream of Uint8Array.
   * @throws {StrongroomError} Any error code the service answers; `CANCELLED` when the signal aborts.
   */
  async storeStream(id: BytesLike, source: ByteSource, options?: CallOptions): Promise<Uint8Array> {
    const budget = this.#budget(options);
    const body = { id: this.#id(id) };
    const answer = await this.#session.request(ROLE, "storeStream", body, { ...budget, upload: chunksOf(source) });
    return readAnswer(ROLE, "storeStream", () => plain(expectBytes(expectFields(answer), "key", { length: KEY_LENGTH })));
  }

  /**
   * Fetches a record as a stream of its plaintext: resolves once the record
   * is found, to a web `ReadableStream` that reads chunk by chunk as fast as
   * its reader takes them. The stream errors with a `StrongroomError` if the
   * record turns out damaged (`STORAGE_FAILED`, never a short or reordered
   * result) or the service fails; cancelling it, or `signal`, ends it. A
   * record stored whole reads the same way.
   *
   * @param id The record id.
   * @param key The key `store` or `storeStream` returned.
   * @param options Time budget (to the first chunk; then the stream times out when idle) and abort signal.
   * @returns The plaintext, with its `size` in bytes.
   * @throws {NotFoundError} When no record matches the id and key.
   * @throws {StrongroomError} Any other error code the service answers before the first chunk.
   */
  async retrieveStream(id: BytesLike, key: Uint8Array, options?: CallOptions): Promise<RecordStream> {
    const budget = this.#budget(options);
    const body = { id: this.#id(id), key: checkKey(key) };
    const { signal } = budget;
    const deadline = performance.now() + budget.timeout;
    const attempt = () => this.#session.requestStream(ROLE, "retrieveStream", body, { deadline, signal });
    const answer = await (this.#retry ? retry(attempt, { deadline, signal, codes: RETRIED }) : attempt());
    const size = readAnswer(ROLE, "retrieveStream", () => expectInteger(expectFields(answer.result), "size", 0, Number.MAX_SAFE_INTEGER));
    // The signal ends the stream too, until its last chunk or its error.
    const onAbort = () => answer.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    return toReadable(answer.chunks, size, answer.cancel, () => signal?.removeEventListener("abort", onAbort));
  }

  /**
   * Asks the broker which actors serve which roles, and how busy they are.
   *
   * @param options Time budget and abort signal.
   * @returns Roles, their actors and queues.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {StrongroomError} When the broker cannot be asked.
   */
  async actors(options?: CallOptions): Promise<ActorsReport> {
    return (await this.#call(BROKER_ROLE, "actors", null, this.#budget(options))) as ActorsReport;
  }

  /**
   * Asks the broker for its counters: connections, answers by outcome, uptime.
   *
   * @param options Time budget and abort signal.
   * @returns The broker's statistics.
   * @throws {RangeError} When `options.timeout` is not a positive number ({@link TypeError} when not a number).
   * @throws {StrongroomError} When the broker cannot be asked.
   */
  async stats(options?: CallOptions): Promise<StatsReport> {
    return (await this.#call(BROKER_ROLE, "stats", null, this.#budget(options))) as StatsReport;
  }

  /**
   * Closes the connection for good. Calls in flight, and calls made later, fail
   * at once with `UNAVAILABLE` marked not retryable; `retrieve` and
   * `retrieveMany` are not tried again.
   */
  async close(): Promise<void> {
    await this.#session.close(1000, "Client closing");
  }

  /** A call's options with the client's default applied and its timeout checked, before anything else. */
  #budget(options: CallOptions = {}): Budget {
    const timeout = options.timeout === undefined ? this.#timeout : timeoutOption(options.timeout, "timeout");
    return { timeout, signal: options.signal };
  }

  #call(role: string, op: string, body: unknown, budget: Budget): Promise<unknown> {
    return this.#session.request(role, op, body, budget);
  }

  /** A request that changes nothing, tried again on the codes of `RETRIED` within its budget when retries are on. */
  #read(op: string, body: unknown, budget: Budget): Promise<unknown> {
    const { signal } = budget;
    const deadline = performance.now() + budget.timeout;
    const attempt = () => this.#session.request(ROLE, op, body, { deadline, signal });
    return this.#retry ? retry(attempt, { deadline, signal, codes: RETRIED }) : attempt();
  }

  #id(id: BytesLike): Uint8Array {
    const bytes = toBytes(id);
    const error = idError(bytes, this.#session.welcome.maxId);
    if (error) throw error;
    return bytes;
  }
}

/**
 * Connects to a broker.
 *
 * @param url The broker's URL, such as `ws://127.0.0.1:7070`.
 * @param options Token, timeouts, transport.
 * @returns A connected client.
 * @throws {RangeError} When `timeout` or `connectTimeout` is not a positive number ({@link TypeError} when not a number).
 * @throws {StrongroomError} `UNAUTHENTICATED` for a missing or unknown token, `UNAVAILABLE`
 *   when the broker cannot be reached, `TIMEOUT` when the handshake takes too long.
 */
export async function connect(url: string, options: ClientOptions = {}): Promise<StrongroomClient> {
  const {
    token,
    timeout = DEFAULT_TIMEOUT_MS,
    connectTimeout = DEFAULT_TIMEOUT_MS,
    name = "client",
    socketFactory = await platformSocketFactory(),
    reconnect = true,
    retry = true,
    logger = NOOP_LOGGER,
  } = options;
  const checkedTimeout = timeoutOption(timeout, "timeout");
  const checkedConnectTimeout = timeoutOption(connectTimeout, "connectTimeout");
  const session = await Session.open(socketFactory, url, {
    hello: token === undefined ? { name } : { token, name },
    connectTimeout: checkedConnectTimeout,
    reconnect,
    backoff: options.backoff,
    onEvent: (event) => {
      logEvent(logger, event, url);
      options.onEvent?.(event);
    },
  });
  return new StrongroomClient(session, checkedTimeout, retry);
}

function logEvent(logger: Logger, event: SessionEvent, url: string): void {
  switch (event.type) {
    case "connected":
      if (event.attempt > 0) logger.info("Connected to the broker again", { url, attempts: event.attempt });
      return;
    case "disconnected":
      logger.warn(event.reconnecting ? "Lost the broker; connecting again" : "Lost the broker", { url, code: event.code, reason: event.reason });
      return;
    case "reconnect-failed":
      logger.warn("Cannot reach the broker", { url, attempt: event.attempt, code: event.error.code });
      return;
    case "closed":
      logger.debug("Connection closed", { url });
  }
}

function checkKey(key: Uint8Array): Uint8Array {
  const error = keyError(key);
  if (error) throw error;
  return key;
}
