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
  type Connection,
  type Logger,
  NOOP_LOGGER,
  type RequestOptions,
  Session,
  type SessionEvent,
  type SocketFactory,
} from "../../protocol/peer/mod.ts";
import {
  asStrongroomError,
  BadRequestError,
  CancelledError,
  type CorrelationId,
  DEFAULT_TIMEOUT_MS,
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

/**
 * Longest a drain waits for requests in flight, in ms: a request's default
 * budget, so that one in flight when the drain begins ends within it,
 * answered or timed out.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

/** What a handler gets for one request. */
export interface ActorContext {
  /** The request body, unvalidated. */
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
   * Calls another role through the broker. The call inherits this request's
   * deadline and signal unless `options` says otherwise.
   */
  call(to: string, op: string, body: unknown, options?: RequestOptions): Promise<unknown>;
}

/** Serves one op: returns the `res` body or throws a {@link StrongroomError}. */
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
  readonly controller: AbortController;
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
  const running = new Set<Running>();
  const log = logger.child({ role });

  const abortStale = () => {
    for (const entry of running) {
      if (entry.connection.closed) entry.controller.abort(new UnavailableError("Connection to the broker was lost"));
    }
  };
  const session = await Session.open(options.socketFactory ?? sockets!.factory, url, {
    hello: { token: secret, role, name, concurrency },
    reconnect: options.reconnect,
    backoff: options.backoff,
    onRequest: (req, connection) => void serve(req, connection),
    onCancel: (id, connection, code) => {
      for (const entry of running) {
        if (entry.id !== id || entry.connection !== connection) continue;
        entry.controller.abort(
          code === "TIMEOUT" ? new TimeoutError("The request ran out of time") : new CancelledError("The caller cancelled the request"),
        );
      }
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
    const deadline = performance.now() + ttl;
    const controller = new AbortController();
    const entry: Running = { id: req.id, connection, controller };
    running.add(entry);
    const timer = setTimeout(() => controller.abort(new TimeoutError(`Request "${req.op}" to "${role}" ran out of time`)), Math.min(ttl, MAX_TTL_MS));
    const { signal } = controller;
    // A handler that ignores its signal must not keep the deadline timer (and the process) alive.
    signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    let answer: Res | Err;
    try {
      const handler = Object.hasOwn(handlers, req.op) ? handlers[req.op] : undefined;
      if (!handler) throw new BadRequestError(`Cannot serve op "${req.op}": role "${role}" has no such op`);
      const body = await handler({
        body: req.body,
        tenant: req.tenant ?? "",
        signal,
        deadline,
        // On the connection the request came on: it can arrive before the session is returned, and the
        // handler is aborted anyway if that connection drops.
        call: (to, op, callBody, callOptions = {}) => connection.request(to, op, callBody, { deadline, signal, ...callOptions }),
      });
      answer = { t: "res", id: req.id, body: body ?? null };
    } catch (error) {
      // Once aborted, why it was aborted is the answer, whatever the handler threw on its way out.
      const failure = asStrongroomError(signal.aborted ? signal.reason : error);
      if (failure.code === "INTERNAL") log.error("Handler failed", { op: req.op, error: describe(failure.cause) });
      answer = errFrame(req.id, failure.code, failure.message);
    } finally {
      clearTimeout(timer);
      running.delete(entry);
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

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
