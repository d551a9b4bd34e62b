/**
 * The runtime every actor shares: register with the broker as a role, run a
 * handler per delivered request, answer each exactly once with `res` or
 * `err`, and call other roles within the time budget of the request being
 * served. It connects again when the broker goes away (and registers
 * again), and drains on request: no new work, finish what is in flight,
 * then disconnect.
 *
 * @module
 */
import {
  type BackoffOptions,
  CallScope,
  type ChunkReader,
  type Connection,
  type Logger,
  NOOP_LOGGER,
  type RequestOptions,
  Session,
  type SessionEvent,
  type SocketFactory,
  type StreamAnswer as StreamReply,
} from "../../protocol/peer/mod.ts";
import {
  asStrongroomError,
  BadRequestError,
  CancelledError,
  type CorrelationId,
  decodeBody,
  DEFAULT_TIMEOUT_MS,
  encodeBody,
  type Err,
  errFrame,
  MAX_TTL_MS,
  type Req,
  type Res,
  TimeoutError,
  TooLargeError,
  UnavailableError,
} from "../../protocol/wire/mod.ts";
import { watchedSockets } from "./_liveness.ts";
import { StreamAnswer } from "./stream-answer.ts";

/**
 * Longest a drain waits for requests in flight, in ms: a request's default
 * budget, so that one in flight when the drain begins ends within it,
 * answered or timed out.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

/** What a handler gets for one request. */
export interface ActorContext {
  /** The op's arguments, decoded from the request's body but unvalidated. */
  readonly body: unknown;
  /** The caller's tenant, as the broker authenticated it. */
  readonly tenant: string;
  /**
   * Aborts when the caller cancels, the deadline passes or the broker goes
   * away; its `reason` is the matching `StrongroomError`.
   */
  readonly signal: AbortSignal;
  /** The request's deadline on the `performance.now()` clock. */
  readonly deadline: number;
  /**
   * The chunks the caller uploads after the request, read in order; present
   * only for a request that came with `stream`.
   */
  readonly upload: ChunkReader | undefined;
  /**
   * Calls another role through the broker. The call inherits this request's
   * deadline and signal unless `options` says otherwise; `options.upload`
   * makes it an upload.
   */
  call(to: string, op: string, body: unknown, options?: RequestOptions): Promise<unknown>;
  /** Calls another role whose answer may be a stream; as {@link ActorContext.call} otherwise. */
  callStream(to: string, op: string, body: unknown, options?: RequestOptions): Promise<StreamReply>;
}

/**
 * Serves one op: returns the result (or a {@link StreamAnswer}, to answer
 * with a stream) or throws a {@link StrongroomError}.
 */
export type Handler = (context: ActorContext) => unknown;

/** Options of {@link startActor}. */
export interface ActorOptions {
  /** The broker's URL. */
  url: string;
  /** The role this actor serves. */
  role: string;
  /** The actor secret shared with the broker. */
  secret: string;
  /** Handlers by op name. */
  handlers: Readonly<Record<string, Handler>>;
  /** A name for people (logs, status). @default role */
  name?: string;
  /** How many requests it takes at once; the broker never delivers more. @default 64 */
  concurrency?: number;
  /** Opens the socket. @default the `ws` package's WebSocket, watched for the broker's pings */
  socketFactory?: SocketFactory;
  /** Certificates (PEM) to trust for a `wss://` broker, instead of the system's roots. @default the system's roots */
  ca?: readonly string[];
  /** Whether to connect and register again when the connection to the broker drops. @default true */
  reconnect?: boolean;
  /** Delays between attempts to connect again. @default { initial: 100, max: 5000 } */
  backoff?: BackoffOptions;
  /** Longest a drain waits for requests in flight, in ms. @default DEFAULT_DRAIN_TIMEOUT_MS (10000) */
  drainTimeout?: number;
  /** Called on every change of the connection's state. @default undefined */
  onEvent?: (event: SessionEvent) => void;
  /** Where lifecycle events and internal failures go. @default NOOP_LOGGER */
  logger?: Logger;
}

/** A running actor. */
export interface Actor {
  /** The session with the broker. */
  readonly session: Session;
  /** Requests being handled. */
  readonly active: number;
  /**
   * Asks the broker for no new requests, waits until those in flight are
   * answered (the broker then closes the connection) or `drainTimeout`
   * passes, and disconnects for good.
   */
  drain(): Promise<void>;
  /** Disconnects for good at once; requests being handled are aborted. */
  close(): void;
}

interface Running {
  readonly id: CorrelationId;
  readonly connection: Connection;
  readonly scope: CallScope;
}

/** What a handler gets for one request; its signal is made only if the handler asks for it. */
class RequestContext implements ActorContext {
  readonly body: unknown;
  readonly tenant: string;
  readonly deadline: number;
  readonly upload: ChunkReader | undefined;
  readonly #scope: CallScope;
  readonly #connection: Connection;

  constructor(body: unknown, tenant: string, scope: CallScope, connection: Connection, upload: ChunkReader | undefined) {
    this.body = body;
    this.tenant = tenant;
    this.deadline = scope.deadline;
    this.upload = upload;
    this.#scope = scope;
    this.#connection = connection;
  }

  get signal(): AbortSignal {
    return this.#scope.signal;
  }

  // Own properties, not methods, so that a handler may take them apart (`({ call }) => …`). On the
  // connection the request came on: it can arrive before the session is returned, and the handler
  // is aborted anyway if that connection drops.
  readonly call = (to: string, op: string, body: unknown, options?: RequestOptions): Promise<unknown> =>
    this.#connection.request(to, op, body, this.#options(options));

  readonly callStream = (to: string, op: string, body: unknown, options?: RequestOptions): Promise<StreamReply> =>
    this.#connection.requestStream(to, op, body, this.#options(options));

  #options(options: RequestOptions | undefined): RequestOptions {
    // Once this request streams, its own budget is past: calls made then get a budget of their own.
    const base: RequestOptions = this.#scope.streaming ? { scope: this.#scope, timeout: DEFAULT_TIMEOUT_MS } : { scope: this.#scope };
    return options ? { ...base, ...options } : base;
  }
}

function expire(scope: CallScope, op: string, role: string): void {
  // A request that streams is past its budget by design: the broker times it out when nothing moves.
  if (scope.streaming) return;
  scope.abort(new TimeoutError(`Request "${op}" to "${role}" ran out of time`));
}

/**
 * Connects an actor to the broker and starts serving its role.
 *
 * @param options Broker URL, role, secret and handlers.
 * @returns The running actor.
 * @throws {StrongroomError} When the broker refuses the actor or cannot be reached at the start.
 * @example An echo actor
 * ```ts
 * import { startActor } from "./actor.ts";
 * const actor = await startActor({
 *   url: "ws://127.0.0.1:7070",
 *   role: "echo",
 *   secret: "the actor secret",
 *   handlers: { echo: ({ body }) => body },
 * });
 * await actor.drain();
 * ```
 */
export async function startActor(options: ActorOptions): Promise<Actor> {
  const { url, role, secret, handlers, name = role, concurrency = 64, drainTimeout = DEFAULT_DRAIN_TIMEOUT_MS, logger = NOOP_LOGGER } = options;
  const sockets = options.socketFactory ? undefined : watchedSockets(options.ca);
  const running = new Map<CorrelationId, Running>();
  const log = logger.child({ role });

  const abortStale = () => {
    for (const entry of running.values()) {
      if (entry.connection.closed) entry.scope.abort(new UnavailableError("Connection to the broker was lost"));
    }
  };
  const session = await Session.open(options.socketFactory ?? sockets!.factory, url, {
    hello: { token: secret, role, name, concurrency },
    reconnect: options.reconnect,
    backoff: options.backoff,
    onRequest: (req, connection) => void serve(req, connection),
    onCancel: (id, connection, code) => {
      const entry = running.get(id);
      if (!entry || entry.connection !== connection) return;
      entry.scope.abort(code === "TIMEOUT" ? new TimeoutError("The request ran out of time") : new CancelledError("The caller cancelled the request"));
    },
    onEvent: (event) => {
      if (event.type === "connected") {
        sockets?.watch(event.welcome.heartbeat);
        if (event.attempt > 0) log.info("Registered again with the broker", { attempts: event.attempt });
      } else if (event.type === "disconnected") {
        abortStale();
        if (event.reconnecting) log.warn("Lost the broker; connecting again", { code: event.code });
      } else if (event.type === "reconnect-failed") {
        log.warn("Cannot reach the broker", { attempt: event.attempt, code: event.error.code });
      } else {
        abortStale();
      }
      options.onEvent?.(event);
    },
  });

  async function serve(req: Req, connection: Connection): Promise<void> {
    const ttl = req.ttl ?? DEFAULT_TIMEOUT_MS;
    const scope = new CallScope(performance.now() + ttl);
    const entry: Running = { id: req.id, connection, scope };
    // The broker's ids are unique on its connection; one that is reused came on a new connection.
    running.set(req.id, entry);
    const timer = setTimeout(expire, Math.min(ttl, MAX_TTL_MS), scope, req.op, role);
    let answer: Res | Err;
    try {
      const handler = Object.hasOwn(handlers, req.op) ? handlers[req.op] : undefined;
      if (!handler) throw new BadRequestError(`Cannot serve op "${req.op}": role "${role}" has no such op`);
      let upload: ChunkReader | undefined;
      if (req.stream) {
        scope.streaming = true;
        upload = connection.acceptUpload(req.id);
        // A cancel, a timeout or a lost broker fails the upload the handler reads.
        scope.onAbort(() => connection.endServed(req.id, scope.reason));
      }
      const result = await handler(new RequestContext(readBody(req.body), req.tenant ?? "", scope, connection, upload));
      if (result instanceof StreamAnswer) {
        scope.streaming = true;
        scope.onAbort(() => connection.endServed(req.id, scope.reason));
        await connection.answerStream(req.id, result.result, result.chunks);
        return;
      }
      answer = { t: "res", id: req.id, body: encodeBody(result) };
    } catch (error) {
      // Once aborted, why it was aborted is the answer, whatever the handler threw on its way out.
      const failure = asStrongroomError(scope.reason ?? error);
      if (failure.code === "INTERNAL") log.error("Handler failed", { op: req.op, error: describe(failure.cause) });
      answer = errFrame(req.id, failure.code, failure.message);
    } finally {
      clearTimeout(timer);
      if (running.get(req.id) === entry) running.delete(req.id);
      connection.endServed(req.id, scope.reason);
    }
    try {
      connection.send(answer);
    } catch (error) {
      if (!(error instanceof TooLargeError)) throw error;
      connection.send(errFrame(req.id, "TOO_LARGE", `Cannot answer "${req.op}": the answer is over the broker's frame limit`));
    }
  }

  async function drain(): Promise<void> {
    session.stopReconnecting();
    const connection = session.connection;
    if (session.closed || connection.closed) return;
    log.info("Draining", { active: running.size });
    session.send({ t: "drain" });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      connection.whenClosed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), drainTimeout))),
    ]);
    clearTimeout(timer);
    if (timedOut) log.warn("Drain timed out; disconnecting with requests in flight", { active: running.size });
    session.close(1000, "Actor drained");
  }

  let drained: Promise<void> | undefined;
  return {
    session,
    get active() {
      return running.size;
    },
    drain() {
      drained ??= drain();
      return drained;
    },
    close() {
      session.close(1000, "Actor stopping");
    },
  };
}

// The op's arguments, decoded here: nobody on the way decoded them, so a body that is not CBOR is
// found out here, and costs that request alone.
function readBody(body: Uint8Array): unknown {
  try {
    return decodeBody(body);
  } catch (error) {
    throw new BadRequestError('Invalid field "body": not a CBOR value', { cause: error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
