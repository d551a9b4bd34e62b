/**
 * One peer's connection to the broker: the `hello`/`welcome` handshake, then
 * request/reply with correlation ids, deadlines and cancellation. Clients and
 * actors both build on it; actors also receive requests through `onRequest`.
 * What it sends in one turn of the event loop goes out as one frame.
 *
 * @module
 */
import {
  CancelledError,
  closeReason,
  type CorrelationId,
  type Credit,
  type Data,
  DEFAULT_STREAM_IDLE_MS,
  decodeBody,
  DEFAULT_TIMEOUT_MS,
  encodeBody,
  encodeFrame,
  type Err,
  errFrame,
  errorForCode,
  type FrameHandler,
  type Hello,
  InternalError,
  MAX_TTL_MS,
  type Message,
  messageSizeBound,
  parseFrame,
  ProtocolError,
  type Req,
  type Res,
  StrongroomError,
  SUBPROTOCOL,
  TimeoutError,
  TooLargeError,
  UnavailableError,
  type Welcome,
} from "../wire/mod.ts";
import { aborted, timedOut } from "./_abort.ts";
import { Outbox } from "./outbox.ts";
import { ChunkReader, ChunkWriter } from "./stream.ts";
import type { CallScope, Unsubscribe } from "./scope.ts";
import { messageBytes, sendFrame, SOCKET_OPEN, type SocketFactory, type SocketLike } from "./socket.ts";

/** Why a connection closed. */
export interface CloseInfo {
  /** WebSocket close code. */
  code: number;
  /** Close reason sent by the peer, or a local explanation. */
  reason: string;
}

/** Options of {@link Connection.open}. */
export interface ConnectionOptions {
  /** Fields of the `hello` message (token, role, name, concurrency). @default {} */
  hello?: Omit<Hello, "t">;
  /** Time to open the socket and get the `welcome`, in ms. @default 10000 */
  connectTimeout?: number;
  /**
   * Called for every request the broker delivers (actors only), with the
   * connection it came on, which is where its answer goes. Its body is
   * still the CBOR bytes: the actor decodes them. A request whose envelope
   * is invalid is answered `BAD_REQUEST` here and never reaches it.
   * @default undefined
   */
  onRequest?: (req: Req, connection: Connection) => void;
  /** Called when the broker forwards a `cancel` (actors only). @default undefined */
  onCancel?: (id: CorrelationId, connection: Connection, code: "TIMEOUT" | "CANCELLED") => void;
  /** Called once when the connection has closed, after pending calls were failed. @default undefined */
  onClose?: (info: CloseInfo) => void;
  /** Time a stream may go without a chunk or credit moving, once started, in ms. @default 30000 */
  streamIdle?: number;
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
  /**
   * The scope of the request an actor serves, for the calls its handler
   * makes: it cancels them as a signal would, and its deadline is theirs
   * unless `deadline` or `timeout` says otherwise. @default undefined
   */
  scope?: CallScope;
  /**
   * Chunks to send after the request, as a stream (`stream: true`): each
   * goes out against credit the serving actor grants, the last marked `end`.
   * @default undefined
   */
  upload?: AsyncIterable<Uint8Array>;
}

/** The answer of {@link Connection.requestStream}: the op's result, then its chunks. */
export interface StreamAnswer {
  /** The op's result, decoded from the body of the `res`. */
  readonly result: unknown;
  /** The chunks that follow it; none when the answer was not a stream. */
  readonly chunks: ChunkReader;
  /** Gives up on the rest of the stream: the actor is told, and the chunks fail `CANCELLED`. */
  cancel(): void;
}

// What a served request streams on this connection: the upload it reads, the download it writes.
interface Served {
  reader?: ChunkReader;
  writer?: ChunkWriter;
}

interface Pending {
  readonly id: number;
  readonly to: string;
  readonly op: string;
  readonly body: Uint8Array;
  readonly deadline: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  unsubscribe: Unsubscribe | undefined;
  sent: boolean;
  /** The chunks this request uploads, and what sends them against credit. */
  upload: AsyncIterable<Uint8Array> | undefined;
  writer: ChunkWriter | undefined;
  /** Where the chunks of a streamed answer go, for a request made with `requestStream`. */
  reader: ChunkReader | undefined;
  /** Whether the answer is in (a `res` with `stream`): what is left is the stream's end. */
  answered: boolean;
  /** When a chunk or credit last moved, once the stream started; `0` before. */
  moved: number;
}

const EMPTY = new Uint8Array(0);

// Longest wait in close() for the socket's own close event, in ms.
const CLOSE_WAIT_MS = 2000;

/**
 * A connection to the broker after a successful handshake.
 *
 * @example Calling the encryptor
 * ```ts
 * import WebSocket from "ws";
 * import { Connection } from "./connection.ts";
 * const conn = await Connection.open((url, p) => new WebSocket(url, p), "ws://127.0.0.1:7070");
 * const body = await conn.request("encryptor", "store", { id: new Uint8Array([1]), payload: new Uint8Array() });
 * await conn.close();
 * ```
 */
export class Connection {
  /** The broker's `welcome`: connection id and limits. */
  readonly welcome: Welcome;
  /** Resolves once the connection has closed, after pending calls were failed. */
  readonly whenClosed: Promise<CloseInfo>;
  #socket: SocketLike;
  #options: ConnectionOptions;
  #outbox: Outbox;
  #pending = new Map<number, Pending>();
  #served = new Map<CorrelationId, Served>();
  #streamIdle: number;
  // Requests beyond the broker's maxInFlight, in call order.
  #waiting = new Set<Pending>();
  #inFlight = 0;
  #nextId = 1;
  #closed: CloseInfo | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  #socketGone: Promise<void>;
  #handler: FrameHandler = {
    message: (message) => this.#dispatch(message),
    invalid: (error) => {
      // An actor answers a request it cannot read; a client is sent none.
      if (this.#options.onRequest) this.send(errFrame(error.requestId, error.code, error.message));
      else this.close(1002, error.message);
    },
  };

  private constructor(socket: SocketLike, welcome: Welcome, options: ConnectionOptions) {
    this.#socket = socket;
    this.welcome = welcome;
    this.#options = options;
    this.#outbox = new Outbox((parts, _messages, written) => this.#write(parts, written), { maxFrame: welcome.maxFrame });
    this.#streamIdle = options.streamIdle ?? DEFAULT_STREAM_IDLE_MS;
    this.whenClosed = new Promise((resolve) => (this.#resolveClosed = resolve));
    let gone!: () => void;
    this.#socketGone = new Promise((resolve) => (gone = resolve));
    socket.onmessage = (event) => this.#onMessage(event.data);
    socket.onclose = (event) => {
      gone();
      this.#onClose({ code: event.code, reason: event.reason });
    };
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
        socket.send(encodeFrame({ t: "hello", ...options.hello }));
      };
      socket.onmessage = (event) => {
        // The welcome may share its frame with what the broker sent right after it (a request for an actor).
        const messages: (Message | ProtocolError & { requestId: CorrelationId })[] = [];
        try {
          parseFrame(messageBytes(event.data) ?? new Uint8Array(), {
            message: (message) => messages.push(message),
            invalid: (error) => messages.push(error),
          }, { maxFrame: Number.MAX_SAFE_INTEGER });
        } catch (error) {
          fail(new UnavailableError(`Cannot connect to "${url}": invalid answer to hello`, { cause: error }));
          return;
        }
        const [first, ...rest] = messages;
        if (first instanceof ProtocolError) {
          fail(new UnavailableError(`Cannot connect to "${url}": invalid answer to hello`, { cause: first }));
        } else if (first?.t === "welcome") {
          done = true;
          clearTimeout(timer);
          socket.onopen = null;
          const connection = new Connection(socket, first, options);
          resolve(connection);
          for (const item of rest) {
            if (item instanceof ProtocolError) connection.#handler.invalid(item);
            else connection.#dispatch(item);
          }
        } else if (first?.t === "err") {
          fail(errorForCode(first.code, first.message, { retryable: first.retryable }));
        } else {
          fail(new UnavailableError(`Cannot connect to "${url}": expected a welcome, got "${first?.t}"`));
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
   * @param args The op's arguments, encoded as the request's body.
   * @param options Time budget, deadline, abort signal.
   * @returns The op's result, decoded from the body of the `res`.
   * @throws {StrongroomError} The error the broker or actor answered, `TIMEOUT` when the budget
   *   runs out (or the signal aborts with a `TimeoutError`), `CANCELLED` when the signal aborts,
   *   `UNAVAILABLE` when the connection is lost, `INTERNAL` when the answer cannot be decoded.
   */
  request(to: string, op: string, args: unknown, options: RequestOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => this.#start(to, op, args, options, resolve, reject, undefined));
  }

  /**
   * Sends a request whose answer may be a stream (a `res` with `stream`,
   * then `data`), granting the actor a window of chunks once its `res` says
   * so, and more as they are read. A request that is not answered with a stream gives no
   * chunks. Like {@link request} otherwise.
   *
   * @param to The target role.
   * @param op The operation.
   * @param args The op's arguments.
   * @param options Time budget, deadline, abort signal.
   * @returns The result, once the `res` is in, and its chunks; they fail with the error that ends
   *   the stream early (`UNAVAILABLE`, `TIMEOUT` after the idle time, an `err` of the actor).
   * @throws {StrongroomError} As {@link request}, until the `res`.
   */
  requestStream(to: string, op: string, args: unknown, options: RequestOptions = {}): Promise<StreamAnswer> {
    return new Promise((resolve, reject) => {
      const reader = new ChunkReader((n) => pending && this.#sendIfOpen({ t: "credit", id: pending.id, n }));
      let pending: Pending | undefined;
      pending = this.#start(to, op, args, options, (result) => resolve({
        result,
        chunks: reader,
        cancel: () => pending && this.#settle(pending, new CancelledError(`Stream of "${op}" from "${to}" was cancelled`)),
      }), reject, reader);
    });
  }

  #start(
    to: string,
    op: string,
    args: unknown,
    options: RequestOptions,
    resolve: (result: unknown) => void,
    reject: (error: Error) => void,
    reader: ChunkReader | undefined,
  ): Pending | undefined {
    if (this.#closed) {
      reject(new UnavailableError("Cannot send request: the connection is closed"));
      return undefined;
    }
    const { signal, scope, upload } = options;
    if (signal?.aborted || scope?.aborted) {
      reject(aborted(op, to, signal?.aborted ? signal.reason : scope!.reason));
      return undefined;
    }
    const now = performance.now();
    const deadline = options.deadline ?? (options.timeout === undefined && scope ? scope.deadline : now + (options.timeout ?? DEFAULT_TIMEOUT_MS));
    const delay = Math.min(deadline - now, MAX_TTL_MS);
    if (delay <= 0) {
      reject(timedOut(op, to));
      return undefined;
    }
    const id = this.#nextId++;
    const pending: Pending = {
      id,
      to,
      op,
      body: encodeBody(args),
      deadline,
      resolve,
      reject,
      timer: undefined,
      signal,
      onAbort: undefined,
      unsubscribe: undefined,
      sent: false,
      upload,
      writer: undefined,
      reader,
      answered: false,
      moved: 0,
    };
    // A scope that ends no later times the request out itself: no timer of its own. A stream keeps its
    // own timer, which goes on past the budget while chunks move.
    const streams = upload !== undefined || reader !== undefined;
    if (streams || !scope || scope.deadline > deadline) pending.timer = setTimeout(() => this.#expire(pending), delay);
    if (signal) {
      pending.onAbort = () => this.#settle(pending, aborted(op, to, signal.reason));
      signal.addEventListener("abort", pending.onAbort, { once: true });
    }
    if (scope) pending.unsubscribe = scope.onAbort(() => this.#settle(pending, aborted(op, to, scope.reason)));
    this.#pending.set(id, pending);
    if (this.#inFlight < this.welcome.maxInFlight) this.#transmit(pending);
    else this.#waiting.add(pending);
    return pending;
  }

  // The budget covers the time to the first chunk or credit; after that, a stream times out only
  // when nothing moved for the idle time.
  #expire(pending: Pending): void {
    if (pending.moved > 0) {
      const left = pending.moved + this.#streamIdle - performance.now();
      if (left > 0) {
        pending.timer = setTimeout(() => this.#expire(pending), left);
        return;
      }
      this.#settle(pending, new TimeoutError(`Stream of "${pending.op}" to "${pending.to}" moved nothing for ${this.#streamIdle} ms`));
      return;
    }
    this.#settle(pending, timedOut(pending.op, pending.to));
  }

  /**
   * Starts reading the upload of a request this actor serves (one that came
   * with `stream`): grants the caller a window of chunks.
   *
   * @param id The request's id on this connection.
   * @returns The chunks, in order.
   */
  acceptUpload(id: CorrelationId): ChunkReader {
    const served = this.#servedOf(id);
    if (!served.reader) {
      served.reader = new ChunkReader((n) => this.#sendIfOpen({ t: "credit", id, n, back: true }));
      served.reader.grantWindow();
    }
    return served.reader;
  }

  /**
   * Answers a request this actor serves with a stream: a `res` with
   * `stream`, then each chunk against the caller's credit, the last marked
   * `end`.
   *
   * @param id The request's id on this connection.
   * @param result The op's result, sent in the `res`.
   * @param chunks The chunks.
   * @returns Resolves once the last chunk was sent.
   * @throws {Error} What the chunks' source threw, or the error that ended the stream (a cancel,
   *   a lost connection); the caller is then sent nothing more, and the actor answers the error.
   */
  async answerStream(id: CorrelationId, result: unknown, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const served = this.#servedOf(id);
    const writer = new ChunkWriter((seq, chunk, end) => this.#sendIfOpen({ t: "data", id, seq, chunk, end: end || undefined, back: true }));
    served.writer = writer;
    if (!this.send({ t: "res", id, body: encodeBody(result), stream: true })) throw new UnavailableError("Connection to the broker closed");
    await pump(chunks, writer);
  }

  /**
   * Forgets the streams of a request this actor served, once it is answered
   * or given up on: later chunks and credit for it are dropped.
   *
   * @param id The request's id on this connection.
   * @param error Why it ended early, for a stream still being read or written. @default undefined
   */
  endServed(id: CorrelationId, error?: Error): void {
    const served = this.#served.get(id);
    if (!served) return;
    this.#served.delete(id);
    if (error) {
      served.reader?.fail(error);
      served.writer?.fail(error);
    }
  }

  #servedOf(id: CorrelationId): Served {
    let served = this.#served.get(id);
    if (!served) this.#served.set(id, (served = {}));
    return served;
  }

  /**
   * Sends one message as it is (replies of actors, `drain`), in the frame of
   * this turn.
   *
   * @param message The message.
   * @returns `false` when the connection is closed and nothing was sent.
   * @throws {TooLargeError} When the message may not fit the broker's `maxFrame`; nothing is sent.
   */
  send(message: Message): boolean {
    if (this.#closed || this.#socket.readyState !== SOCKET_OPEN) return false;
    const size = messageSizeBound(message);
    if (size > this.welcome.maxFrame) {
      throw new TooLargeError(`Cannot send "${message.t}" of ${size} bytes: the broker's frame limit is ${this.welcome.maxFrame}`);
    }
    this.#outbox.push(message);
    return true;
  }

  /**
   * Closes the connection; requests still pending fail with `UNAVAILABLE` at
   * once, and messages already sent go out first.
   *
   * @param code WebSocket close code. @default 1000
   * @param reason Close reason, cut to the 123 bytes of UTF-8 a close frame holds.
   * @returns Resolves once the socket has closed (or after a short wait for a peer that does not answer).
   */
  close(code = 1000, reason = ""): Promise<void> {
    if (!this.#closed) {
      const cut = closeReason(reason);
      try {
        if (this.#socket.readyState === SOCKET_OPEN) this.#outbox.flush();
        this.#socket.close(code, cut);
      } finally {
        this.#onClose({ code, reason: cut || "closed by this peer" });
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([this.#socketGone, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]).finally(() =>
      clearTimeout(timer),
    );
  }

  #write(parts: Uint8Array[], written: () => void): void {
    if (this.#socket.readyState === SOCKET_OPEN) sendFrame(this.#socket, parts, written);
  }

  #transmit(pending: Pending): void {
    // The broker refuses a ttl over MAX_TTL_MS: a longer budget (an infinite deadline too) is sent as the longest one.
    const ttl = Math.min(MAX_TTL_MS, Math.max(1, Math.floor(pending.deadline - performance.now())));
    const req: Req = { t: "req", id: pending.id, to: pending.to, op: pending.op, ttl, body: pending.body };
    const size = messageSizeBound(req);
    if (size > this.welcome.maxFrame) {
      this.#settle(pending, new TooLargeError(`Request of ${size} bytes is over the broker's frame limit of ${this.welcome.maxFrame}`));
      return;
    }
    pending.sent = true;
    this.#inFlight++;
    if (pending.upload) {
      req.stream = true;
      const writer = new ChunkWriter((seq, chunk, end) => this.#sendIfOpen({ t: "data", id: pending.id, seq, chunk, end: end || undefined }));
      pending.writer = writer;
      this.#outbox.push(req);
      pump(pending.upload, writer).catch((error: unknown) => {
        // The source failed, or the request ended first (its writer failed): only the first counts.
        this.#settle(pending, error instanceof Error ? error : new CancelledError("The upload's source failed", { cause: error }));
      });
      return;
    }
    this.#outbox.push(req);
  }

  // Settles a request once. `remote` is an error the other side gave (an `err`, a closed
  // connection): nothing to cancel; a request given up on here is cancelled at the broker too,
  // saying whether its time ran out, so that the broker answers and counts it as it was.
  #settle(pending: Pending, result: Error | { body: Uint8Array }, remote = false): void {
    if (this.#pending.get(pending.id) !== pending) return;
    const error = result instanceof Error ? result : undefined;
    if (pending.sent && error && !remote) {
      const timeout = error instanceof StrongroomError && error.code === "TIMEOUT";
      this.send(timeout ? { t: "cancel", id: pending.id, code: "TIMEOUT" } : { t: "cancel", id: pending.id });
    }
    this.#release(pending);
    pending.writer?.fail(error ?? new UnavailableError("The request was answered before its upload ended"));
    if (pending.answered) {
      // The result was handed over with its chunks: what is left is how they end.
      if (error) pending.reader?.fail(error);
      return;
    }
    if (error) {
      pending.reader?.fail(error);
      pending.reject(error);
      return;
    }
    let value: unknown;
    try {
      value = decodeBody((result as { body: Uint8Array }).body);
    } catch (cause) {
      pending.reject(new InternalError(`Cannot read the answer of "${pending.to}" to "${pending.op}": its body is not CBOR`, { cause }));
      return;
    }
    pending.resolve(value);
  }

  #release(pending: Pending): void {
    this.#pending.delete(pending.id);
    this.#waiting.delete(pending);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.onAbort) pending.signal?.removeEventListener("abort", pending.onAbort);
    pending.unsubscribe?.();
    if (pending.sent) {
      this.#inFlight--;
      this.#pump();
    }
  }

  #sendIfOpen(message: Message): void {
    if (!this.#closed) this.send(message);
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
    try {
      if (!bytes) throw new ProtocolError("BAD_REQUEST", "Text frames are not part of the protocol", null);
      parseFrame(bytes, this.#handler, { maxFrame: Number.MAX_SAFE_INTEGER });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      void this.close(error.code === "TOO_LARGE" ? 1009 : 1002, error.message);
    }
  }

  #dispatch(message: Message): void {
    if (this.#closed) return;
    switch (message.t) {
      case "res":
      case "err":
        return this.#answered(message);
      case "req":
        this.#options.onRequest?.(message, this);
        return;
      case "cancel":
        this.#options.onCancel?.(message.id, this, message.code ?? "CANCELLED");
        return;
      case "data":
        return message.back ? this.#answerChunk(message) : this.#uploadChunk(message);
      case "credit":
        return message.back ? this.#uploadCredit(message) : this.#served.get(message.id)?.writer?.credit(message.n);
      default:
        return;
    }
  }

  #answered(message: Res | Err): void {
    const pending = typeof message.id === "number" ? this.#pending.get(message.id) : undefined;
    if (!pending?.sent) return;
    if (message.t === "err") {
      this.#settle(pending, errorForCode(message.code, message.message, { retryable: message.retryable }), true);
      return;
    }
    if (pending.answered) return;
    if (!message.stream) {
      // Chunks were asked for but none come: the reader ends empty.
      pending.reader?.close();
      this.#settle(pending, message);
      return;
    }
    if (!pending.reader) {
      this.#settle(pending, new InternalError(`Cannot read the answer of "${pending.to}" to "${pending.op}": a stream was not asked for`));
      return;
    }
    let value: unknown;
    try {
      value = decodeBody(message.body);
    } catch (cause) {
      this.#settle(pending, new InternalError(`Cannot read the answer of "${pending.to}" to "${pending.op}": its body is not CBOR`, { cause }));
      return;
    }
    pending.answered = true;
    pending.moved = performance.now();
    // The window goes out once the actor is known to answer with a stream: it then has a writer
    // waiting for this credit, rather than credit arriving for a request not known to stream.
    pending.reader.grantWindow();
    pending.resolve(value);
  }

  // A chunk of a streamed answer to a request of this peer.
  #answerChunk(message: Data): void {
    const pending = typeof message.id === "number" ? this.#pending.get(message.id) : undefined;
    if (!pending?.answered || !pending.reader) return;
    pending.moved = performance.now();
    try {
      pending.reader.push(message.seq, message.chunk, message.end === true);
    } catch (error) {
      this.#settle(pending, error as Error);
      return;
    }
    if (message.end) this.#release(pending);
  }

  // Credit for the upload of a request of this peer.
  #uploadCredit(message: Credit): void {
    const pending = typeof message.id === "number" ? this.#pending.get(message.id) : undefined;
    if (!pending?.writer) return;
    pending.moved = performance.now();
    pending.writer.credit(message.n);
  }

  // A chunk of the upload of a request this actor serves.
  #uploadChunk(message: Data): void {
    const reader = this.#served.get(message.id)?.reader;
    if (!reader) return;
    try {
      reader.push(message.seq, message.chunk, message.end === true);
    } catch {
      // The caller broke the stream's rules: the reader failed with why, and the handler reading it answers that.
    }
  }

  #onClose(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = info;
    this.#socket.onmessage = null;
    this.#outbox.clear();
    const error = new UnavailableError(`Connection to the broker closed (${info.code}${info.reason ? ` ${info.reason}` : ""})`);
    for (const pending of [...this.#pending.values()]) this.#settle(pending, error, true);
    for (const id of [...this.#served.keys()]) this.endServed(id, error);
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

// Sends every chunk of a source, the last marked `end`: one is held back to know which is last. An
// empty source is one empty last chunk.
async function pump(source: AsyncIterable<Uint8Array>, writer: ChunkWriter): Promise<void> {
  let held: Uint8Array | undefined;
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("Cannot send a chunk that is not a Uint8Array");
    if (held) await writer.write(held);
    held = chunk;
  }
  await writer.write(held ?? EMPTY, true);
}
