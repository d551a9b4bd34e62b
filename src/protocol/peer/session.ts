/**
 * A session with the broker that outlives its connections: when the
 * connection drops, it connects again with exponential backoff and jitter,
 * saying the same `hello` (so an actor registers again).
 *
 * Requests in flight when a connection drops fail with `UNAVAILABLE`: they
 * may or may not have been carried out. Requests made while there is no
 * connection were never sent, so they wait for the next one within their
 * own deadline and signal; if none comes in time they fail with
 * `UNAVAILABLE`, never having reached the broker.
 *
 * Once the session is closed for good (by `close()`, or after a drop when it
 * does not reconnect), every request that fails for want of a connection,
 * in flight, waiting or made later, fails with `UNAVAILABLE` marked not
 * retryable: sending it again on this session cannot succeed.
 *
 * @module
 */
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { type CloseInfo, Connection, type RequestOptions, type StreamAnswer } from "./connection.ts";
import { type StrongroomError, UnavailableError } from "../wire/mod.ts";
import { aborted } from "./_abort.ts";
import { DEFAULT_TIMEOUT_MS, MAX_TTL_MS } from "../wire/mod.ts";
import type { CorrelationId, Hello, Message, Req, Welcome } from "../wire/mod.ts";
import type { SocketFactory } from "./socket.ts";

/** What happened to a session, for logs and status displays. */
export type SessionEvent =
  | { type: "connected"; welcome: Welcome; attempt: number }
  | { type: "disconnected"; code: number; reason: string; reconnecting: boolean }
  | { type: "reconnect-failed"; attempt: number; error: StrongroomError }
  | { type: "closed" };

/** Options of {@link Session.open}. */
export interface SessionOptions {
  /** Fields of every `hello` (token, role, name, concurrency). @default {} */
  hello?: Omit<Hello, "t">;
  /** Time to open a socket and get the `welcome`, in ms. @default 10000 */
  connectTimeout?: number;
  /** Whether to connect again after a connection drops. @default true */
  reconnect?: boolean;
  /** Delays between attempts to connect again. @default { initial: 100, max: 5000 } */
  backoff?: BackoffOptions;
  /** Called for every request the broker delivers (actors only). @default undefined */
  onRequest?: (req: Req, connection: Connection) => void;
  /** Called when the broker forwards a `cancel` (actors only). @default undefined */
  onCancel?: (id: CorrelationId, connection: Connection, code: "TIMEOUT" | "CANCELLED") => void;
  /** Called on every change of the session's state. @default undefined */
  onEvent?: (event: SessionEvent) => void;
}

interface Waiter {
  send(connection: Connection): void;
  fail(error: Error): void;
}

/**
 * A reconnecting session with the broker.
 *
 * @example Calling the encryptor through drops of the connection
 * ```ts
 * import WebSocket from "ws";
 * import { Session } from "./session.ts";
 * const session = await Session.open((url, p) => new WebSocket(url, p) as never, "ws://127.0.0.1:7070");
 * await session.request("encryptor", "store", { id: new Uint8Array([1]), payload: new Uint8Array() }, { timeout: 5000 });
 * session.close();
 * ```
 */
export class Session {
  #factory: SocketFactory;
  #url: string;
  #options: SessionOptions;
  #connection!: Connection;
  #waiters = new Set<Waiter>();
  #reconnect: boolean;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  private constructor(factory: SocketFactory, url: string, options: SessionOptions) {
    this.#factory = factory;
    this.#url = url;
    this.#options = options;
    this.#reconnect = options.reconnect ?? true;
  }

  /**
   * Opens the first connection. It is not retried: a broker that cannot be
   * reached or refuses the hello at the start is a mistake to report at once.
   *
   * @param factory Opens sockets.
   * @param url The broker's `ws://` or `wss://` URL.
   * @param options Hello fields, reconnection, callbacks.
   * @returns The connected session.
   * @throws {StrongroomError} As {@link Connection.open}.
   */
  static async open(factory: SocketFactory, url: string, options: SessionOptions = {}): Promise<Session> {
    const session = new Session(factory, url, options);
    await session.#connect();
    return session;
  }

  /** The latest connection; it may have closed while a new one is awaited. */
  get connection(): Connection {
    return this.#connection;
  }

  /** The latest `welcome`: limits and heartbeat. */
  get welcome(): Welcome {
    return this.#connection.welcome;
  }

  /** Whether a connection is open now. */
  get connected(): boolean {
    return !this.#closed && !this.#connection.closed;
  }

  /** Whether the session was closed for good. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a request on the open connection, or on the next one when there is
   * none now (within the request's deadline).
   *
   * @param to The target role.
   * @param op The operation.
   * @param args The op's arguments.
   * @param options Time budget, deadline, abort signal.
   * @returns The body of the `res`.
   * @throws {StrongroomError} As {@link Connection.request}; `UNAVAILABLE` also when no
   *   connection comes back within the deadline, and `UNAVAILABLE` marked not retryable
   *   when the session is closed for good.
   */
  request(to: string, op: string, args: unknown, options: RequestOptions = {}): Promise<unknown> {
    return this.#send(to, op, options, (connection, sent) => connection.request(to, op, args, sent));
  }

  /**
   * Sends a request whose answer may be a stream, as {@link Connection.requestStream}, on the open
   * connection or the next one, like {@link request}.
   *
   * @param to The target role.
   * @param op The operation.
   * @param args The op's arguments.
   * @param options Time budget, deadline, abort signal.
   * @returns The result and the chunks that follow it.
   * @throws {StrongroomError} As {@link request}.
   */
  requestStream(to: string, op: string, args: unknown, options: RequestOptions = {}): Promise<StreamAnswer> {
    return this.#send(to, op, options, (connection, sent) => connection.requestStream(to, op, args, sent));
  }

  #send<T>(to: string, op: string, options: RequestOptions, call: (connection: Connection, options: RequestOptions) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new UnavailableError("Cannot send request: the session is closed", { retryable: false }));
    if (!this.#connection.closed) return call(this.#connection, options).catch((error) => this.#final(error));
    if (!this.#reconnect) {
      return Promise.reject(new UnavailableError("Cannot send request: the connection to the broker is closed", { retryable: false }));
    }
    const unavailable = new UnavailableError(`Cannot send request "${op}" to "${to}": no connection to the broker within its deadline`);
    const deadline = options.deadline ?? performance.now() + (options.timeout ?? DEFAULT_TIMEOUT_MS);
    const { signal } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(aborted(op, to, signal.reason));
        return;
      }
      const done = () => {
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        send: (connection) => {
          done();
          call(connection, { ...options, deadline, timeout: undefined }).catch((error) => this.#final(error)).then(resolve, reject);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(aborted(op, to, signal?.reason));
      const timer = setTimeout(() => waiter.fail(unavailable), Math.max(0, Math.min(deadline - performance.now(), MAX_TTL_MS)));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /**
   * Sends one message on the open connection.
   *
   * @param message The message.
   * @returns `false` when there is no open connection and nothing was sent.
   * @throws {TooLargeError} When the message is over the broker's frame limit.
   */
  send(message: Message): boolean {
    return !this.#closed && this.#connection.send(message);
  }

  /**
   * Stops connecting again: once the open connection closes, the session is
   * closed for good. Actors call it before they drain.
   */
  stopReconnecting(): void {
    this.#reconnect = false;
    if (this.#connection.closed) this.close();
  }

  /**
   * Closes the session for good; requests still pending fail with `UNAVAILABLE`,
   * marked not retryable, and so do requests made later.
   *
   * @param code WebSocket close code. @default 1000
   * @param reason Close reason.
   * @returns Resolves once the socket has closed.
   */
  close(code = 1000, reason = ""): Promise<void> {
    if (this.#closed) return this.#connection.close(code, reason);
    this.#closed = true;
    clearTimeout(this.#timer);
    const socketClosed = this.#connection.close(code, reason);
    const error = new UnavailableError("Cannot send request: the session was closed", { retryable: false });
    for (const waiter of [...this.#waiters]) waiter.fail(error);
    this.#options.onEvent?.({ type: "closed" });
    return socketClosed;
  }

  // A request that lost its connection because the session closed for good (its `close()` or a
  // drop without reconnection, both of which set #closed before the rejection is handled) cannot
  // succeed if sent again on this session: say so, so that retry loops stop at once.
  #final(error: unknown): never {
    if (this.#closed && error instanceof UnavailableError && error.retryable) {
      throw new UnavailableError(error.message, { cause: error, retryable: false });
    }
    throw error;
  }

  async #connect(): Promise<void> {
    const { hello, connectTimeout, onRequest, onCancel } = this.#options;
    let opened: Connection | undefined;
    let closedEarly: CloseInfo | undefined;
    const connection = await Connection.open(this.#factory, this.#url, {
      hello,
      connectTimeout,
      onRequest,
      onCancel,
      // It may close before this function resumes after the welcome.
      onClose: (info) => (opened ? this.#onClose(opened, info) : (closedEarly = info)),
    });
    opened = connection;
    if (this.#closed) {
      connection.close(1000, "Session closed");
      return;
    }
    this.#connection = connection;
    this.#options.onEvent?.({ type: "connected", welcome: connection.welcome, attempt: this.#attempt });
    this.#attempt = 0;
    if (closedEarly) {
      this.#onClose(connection, closedEarly);
      return;
    }
    for (const waiter of [...this.#waiters]) waiter.send(connection);
  }

  #onClose(connection: Connection, info: CloseInfo): void {
    // A connection that closes while Connection.open still awaits is not ours yet.
    if (this.#closed || connection !== this.#connection) return;
    this.#options.onEvent?.({ type: "disconnected", code: info.code, reason: info.reason, reconnecting: this.#reconnect });
    if (this.#reconnect) this.#schedule();
    else this.close();
  }

  #schedule(): void {
    const delay = backoffDelay(this.#attempt, this.#options.backoff);
    this.#timer = setTimeout(() => {
      this.#attempt++;
      this.#connect().catch((error: StrongroomError) => {
        if (this.#closed) return;
        this.#options.onEvent?.({ type: "reconnect-failed", attempt: this.#attempt, error });
        if (this.#reconnect) this.#schedule();
        else this.close();
      });
    }, delay);
  }
}
