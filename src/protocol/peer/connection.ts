/**
 * One peer's connection to the broker: the `hello`/`welcome` handshake, then
 * request/reply with correlation ids, deadlines and cancellation. Clients and
 * actors both build on it; actors also receive requests through `onRequest`.
 *
 * @module
 */
import { closeReason } from "../wire/mod.ts";
import { encode } from "../wire/mod.ts";
import {
  CancelledError,
  errorForCode,
  StrongroomError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from "../wire/mod.ts";
import { DEFAULT_TIMEOUT_MS, MAX_TTL_MS, SUBPROTOCOL } from "../wire/mod.ts";
import { type CorrelationId, errFrame, type Hello, type Message, type Req, type Welcome } from "../wire/mod.ts";
import { parseFrame, ProtocolError } from "../wire/mod.ts";
import { messageBytes, SOCKET_OPEN, type SocketFactory, type SocketLike } from "./socket.ts";

/** Why a connection closed. */
export interface CloseInfo {
  /** WebSocket close code. */
  code: number;
  /** Close reason sent by the peer, or a local explanation. */
  reason: string;
}

/** Options of {@link Connection.open}. */
export interface ConnectionOptions {
  /** Fields of the `hello` frame (token, role, name, concurrency). @default {} */
  hello?: Omit<Hello, "t">;
  /** Time to open the socket and get the `welcome`, in ms. @default 10000 */
  connectTimeout?: number;
  /**
   * Called for every request the broker delivers (actors only), with the
   * connection it came on, which is where its answer goes. A request that
   * cannot be read (its body does not decode, say) is answered
   * `BAD_REQUEST` here and never reaches it. @default undefined
   */
  onRequest?: (req: Req, connection: Connection) => void;
  /** Called when the broker forwards a `cancel` (actors only). @default undefined */
  onCancel?: (id: CorrelationId, connection: Connection, code: "TIMEOUT" | "CANCELLED") => void;
  /** Called once when the connection has closed, after pending calls were failed. @default undefined */
  onClose?: (info: CloseInfo) => void;
}

/** Options of one request. */
export interface RequestOptions {
  /** Time budget in ms, counted from the call; at most `MAX_TTL_MS` of it is used. @default 10000 */
  timeout?: number;
  /**
   * Absolute deadline on the `performance.now()` clock; wins over `timeout`.
   * Actors pass the deadline of the request they serve so that nested calls
   * share its budget. @default undefined
   */
  deadline?: number;
  /** Aborting it cancels the request. @default undefined */
  signal?: AbortSignal;
}

interface Pending {
  readonly id: number;
  readonly frame: Omit<Req, "ttl">;
  readonly deadline: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  sent: boolean;
}

/**
 * A connection to the broker after a successful handshake.
 *
 * @example Calling the encryptor
 * ```ts
 * import WebSocket from "ws";
 * import { Connection } from "./connection.ts";
 * const conn = await Connection.open((url, p) => new WebSocket(url, p), "ws://127.0.0.1:7070");
 * const body = await conn.request("encryptor", "store", { id: new Uint8Array([1]), payload: new Uint8Array() });
 * conn.close();
 * ```
 */
export class Connection {
  /** The broker's `welcome`: connection id and limits. */
  readonly welcome: Welcome;
  /** Resolves once the connection has closed, after pending calls were failed. */
  readonly whenClosed: Promise<CloseInfo>;
  #socket: SocketLike;
  #options: ConnectionOptions;
  #pending = new Map<number, Pending>();
  // Requests beyond the broker's maxInFlight, in call order.
  #waiting = new Set<Pending>();
  #inFlight = 0;
  #nextId = 1;
  #closed: CloseInfo | undefined;
  #resolveClosed!: (info: CloseInfo) => void;

  private constructor(socket: SocketLike, welcome: Welcome, options: ConnectionOptions) {
    this.#socket = socket;
    this.welcome = welcome;
    this.#options = options;
    this.whenClosed = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.onmessage = (event) => this.#onMessage(event.data);
    socket.onclose = (event) => this.#onClose({ code: event.code, reason: event.reason });
    socket.onerror = () => {};
  }

  /**
   * Opens a socket, says `hello` and waits for the `welcome`.
   *
   * @param factory Opens the socket (the platform's `WebSocket` or `ws`).
   * @param url The broker's `ws://` or `wss://` URL.
   * @param options Hello fields, timeout and callbacks.
   * @returns The connection, ready for requests.
   * @throws {StrongroomError} `UNAUTHENTICATED` or `FORBIDDEN` when the broker refuses the hello,
   *   `UNAVAILABLE` when the socket cannot be opened, `TIMEOUT` when no welcome comes in time.
   */
  static open(factory: SocketFactory, url: string, options: ConnectionOptions = {}): Promise<Connection> {
    const { connectTimeout = DEFAULT_TIMEOUT_MS } = options;
    return new Promise((resolve, reject) => {
      let socket: SocketLike;
      try {
        socket = factory(url, SUBPROTOCOL);
      } catch (error) {
        reject(new UnavailableError(`Cannot connect to "${url}": invalid URL or socket`, { cause: error }));
        return;
      }
      if (socket.binaryType === "blob") socket.binaryType = "arraybuffer";
      let done = false;
      const fail = (error: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        try {
          socket.close(1000);
        } catch {
          // The socket may not be open yet; closing is best effort.
        }
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new TimeoutError(`Cannot connect to "${url}": no welcome within ${connectTimeout} ms`)),
        connectTimeout,
      );
      // Why the socket failed, where the platform says (ws and Deno do; browsers do not): an
      // untrusted certificate, a refused connection.
      let why = "";
      socket.onerror = (event) => (why = errorText(event));
      socket.onclose = (event) =>
        fail(
          new UnavailableError(
            `Cannot connect to "${url}": connection closed (${event.code}${event.reason ? ` ${event.reason}` : ""})${why ? `: ${why}` : ""}`,
          ),
        );
      socket.onopen = () => {
        socket.send(encode({ t: "hello", ...options.hello }));
      };
      socket.onmessage = (event) => {
        let message: Message;
        try {
          message = parseFrame(messageBytes(event.data) ?? new Uint8Array());
        } catch (error) {
          fail(new UnavailableError(`Cannot connect to "${url}": invalid answer to hello`, { cause: error }));
          return;
        }
        if (message.t === "welcome") {
          done = true;
          clearTimeout(timer);
          socket.onopen = null;
          resolve(new Connection(socket, message, options));
        } else if (message.t === "err") {
          fail(errorForCode(message.code, message.message, { retryable: message.retryable }));
        } else {
          fail(new UnavailableError(`Cannot connect to "${url}": expected a welcome, got "${message.t}"`));
        }
      };
    });
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Sends a request and waits for its answer. Requests beyond the broker's
   * `maxInFlight` wait here, their deadline running, until a slot is free.
   *
   * @param to The target role.
   * @param op The operation.
   * @param body The request body.
   * @param options Time budget, deadline, abort signal.
   * @returns The body of the `res`.
   * @throws {StrongroomError} The error the broker or actor answered, `TIMEOUT` when the budget
   *   runs out (or the signal aborts with a `TimeoutError`), `CANCELLED` when the signal aborts,
   *   `UNAVAILABLE` when the connection is lost.
   */
  request(to: string, op: string, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new UnavailableError("Cannot send request: the connection is closed"));
        return;
      }
      const { signal } = options;
      if (signal?.aborted) {
        reject(aborted(op, to, signal.reason));
        return;
      }
      const deadline = options.deadline ?? performance.now() + (options.timeout ?? DEFAULT_TIMEOUT_MS);
      const delay = Math.min(deadline - performance.now(), MAX_TTL_MS);
      if (delay <= 0) {
        reject(timedOut(op, to));
        return;
      }
      const id = this.#nextId++;
      const pending: Pending = {
        id,
        frame: { t: "req", id, to, op, body },
        deadline,
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
        sent: false,
      };
      pending.timer = setTimeout(() => this.#settle(pending, timedOut(op, to)), delay);
      if (signal) {
        pending.onAbort = () => this.#settle(pending, aborted(op, to, signal.reason));
        signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.#pending.set(id, pending);
      if (this.#inFlight < this.welcome.maxInFlight) this.#transmit(pending);
      else this.#waiting.add(pending);
    });
  }

  /**
   * Sends one message as it is (replies of actors, `drain`).
   *
   * @param message The message.
   * @returns `false` when the connection is closed and nothing was sent.
   * @throws {TooLargeError} When the encoded message is over the broker's `maxFrame`; nothing is sent.
   */
  send(message: Message): boolean {
    if (this.#closed || this.#socket.readyState !== SOCKET_OPEN) return false;
    const frame = encode(message);
    if (frame.byteLength > this.welcome.maxFrame) {
      throw new TooLargeError(`Cannot send "${message.t}" of ${frame.byteLength} bytes: the broker's frame limit is ${this.welcome.maxFrame}`);
    }
    this.#socket.send(frame);
    return true;
  }

  /**
   * Closes the connection; requests still pending fail with `UNAVAILABLE`.
   *
   * @param code WebSocket close code. @default 1000
   * @param reason Close reason, cut to the 123 bytes of UTF-8 a close frame holds.
   */
  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    const cut = closeReason(reason);
    try {
      this.#socket.close(code, cut);
    } finally {
      this.#onClose({ code, reason: cut || "closed by this peer" });
    }
  }

  #transmit(pending: Pending): void {
    // The broker refuses a ttl over MAX_TTL_MS: a longer budget (an infinite deadline too) is sent as the longest one.
    const ttl = Math.min(MAX_TTL_MS, Math.max(1, Math.floor(pending.deadline - performance.now())));
    const frame = encode({ ...pending.frame, ttl });
    if (frame.byteLength > this.welcome.maxFrame) {
      this.#settle(
        pending,
        new TooLargeError(`Request of ${frame.byteLength} bytes is over the broker's frame limit of ${this.welcome.maxFrame}`),
      );
      return;
    }
    pending.sent = true;
    this.#inFlight++;
    this.#socket.send(frame);
  }

  #settle(pending: Pending, result: Error | { body: unknown }): void {
    if (this.#pending.get(pending.id) !== pending) return;
    this.#pending.delete(pending.id);
    this.#waiting.delete(pending);
    clearTimeout(pending.timer);
    if (pending.onAbort) pending.signal?.removeEventListener("abort", pending.onAbort);
    if (pending.sent) {
      this.#inFlight--;
      // A request given up on before its answer is cancelled at the broker too, saying
      // whether its time ran out, so that the broker answers and counts it as it was.
      if (result instanceof Error && !(result instanceof StrongroomError && result.code === "UNAVAILABLE")) {
        if (result instanceof StrongroomError && result.code === "TIMEOUT") this.send({ t: "cancel", id: pending.id, code: "TIMEOUT" });
        else if (!(result instanceof StrongroomError) || result.code === "CANCELLED") this.send({ t: "cancel", id: pending.id });
      }
      this.#pump();
    }
    if (result instanceof Error) pending.reject(result);
    else pending.resolve(result.body);
  }

  #pump(): void {
    for (const next of this.#waiting) {
      if (this.#inFlight >= this.welcome.maxInFlight) return;
      this.#waiting.delete(next);
      this.#transmit(next);
    }
  }

  #onMessage(data: unknown): void {
    const bytes = messageBytes(data);
    let message: Message;
    try {
      if (!bytes) throw new ProtocolError("BAD_REQUEST", "Text frames are not part of the protocol", null);
      message = parseFrame(bytes, { maxFrame: Number.MAX_SAFE_INTEGER });
    } catch (error) {
      // A request whose body cannot be decoded costs that request, not every one in flight here.
      if (error instanceof ProtocolError && error.requestId !== null && this.#options.onRequest) {
        this.send(errFrame(error.requestId, error.code, error.message));
        return;
      }
      const reason = error instanceof Error ? error.message : "invalid frame";
      this.close(1002, reason);
      return;
    }
    switch (message.t) {
      case "res": {
        const pending = typeof message.id === "number" ? this.#pending.get(message.id) : undefined;
        if (pending?.sent) this.#settle(pending, { body: message.body });
        return;
      }
      case "err": {
        const pending = typeof message.id === "number" ? this.#pending.get(message.id) : undefined;
        const error = errorForCode(message.code, message.message, { retryable: message.retryable });
        if (pending?.sent) this.#settle(pending, error);
        return;
      }
      case "req":
        this.#options.onRequest?.(message, this);
        return;
      case "cancel":
        this.#options.onCancel?.(message.id, this, message.code ?? "CANCELLED");
        return;
      default:
        return;
    }
  }

  #onClose(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = info;
    this.#socket.onmessage = this.#socket.onclose = null;
    const error = new UnavailableError(`Connection to the broker closed (${info.code}${info.reason ? ` ${info.reason}` : ""})`);
    for (const pending of [...this.#pending.values()]) this.#settle(pending, error);
    this.#waiting.clear();
    this.#resolveClosed(info);
    this.#options.onClose?.(info);
  }
}

// The message of a socket's error event, when it carries one.
function errorText(event: unknown): string {
  if (typeof event !== "object" || event === null) return "";
  const { message, error } = event as { message?: unknown; error?: unknown };
  if (typeof message === "string" && message) return message;
  return error instanceof Error ? error.message : "";
}

// Made when the time is up rather than at the call: building an error's stack at every call cost a
// tenth of an actor's time under load, and the message names the request anyway.
function timedOut(op: string, to: string): TimeoutError {
  return new TimeoutError(`Request "${op}" to "${to}" ran out of time`);
}

// A signal aborted because a time budget ran out (an actor's handler passing its own
// signal on to a nested call) times the request out; any other abort cancels it.
function aborted(op: string, to: string, reason: unknown): TimeoutError | CancelledError {
  if (reason instanceof StrongroomError && reason.code === "TIMEOUT") return timedOut(op, to);
  return new CancelledError(`Request "${op}" to "${to}" was cancelled`, { cause: reason });
}
