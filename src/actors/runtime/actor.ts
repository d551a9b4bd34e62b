/**
 * The runtime every actor shares: connect to the broker as a role, run a
 * handler per delivered request, answer with `res` or `err`, and call other
 * roles within the time budget of the request being served.
 *
 * @module
 */
import WebSocket from "ws";
import {
  asStrongroomError,
  BadRequestError,
  type CloseInfo,
  Connection,
  type CorrelationId,
  errFrame,
  type Logger,
  NOOP_LOGGER,
  type Req,
  type RequestOptions,
  type SocketFactory,
  type SocketLike,
} from "../../protocol/mod.ts";

/** What a handler gets for one request. */
export interface ActorContext {
  /** The request body, unvalidated. */
  readonly body: unknown;
  /** The caller's tenant, as the broker authenticated it. */
  readonly tenant: string;
  /** Aborts when the caller cancels or the deadline passes. */
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
  /** How many requests it takes at once. @default 64 */
  concurrency?: number;
  /** Opens the socket. @default the `ws` package's WebSocket */
  socketFactory?: SocketFactory;
  /** Called once when the connection to the broker is lost. @default undefined */
  onClose?: (info: CloseInfo) => void;
  /** Where lifecycle events and internal failures go. @default NOOP_LOGGER */
  logger?: Logger;
}

/** A running actor. */
export interface Actor {
  /** The connection to the broker. */
  readonly connection: Connection;
  /** Requests being handled. */
  readonly active: number;
  /** Disconnects; requests being handled are aborted. */
  close(): void;
}

/**
 * Connects an actor to the broker and starts serving its role.
 *
 * @param options Broker URL, role, secret and handlers.
 * @returns The running actor.
 * @throws {StrongroomError} When the broker refuses the actor or cannot be reached.
 * @example An echo actor
 * ```ts
 * import { startActor } from "./actor.ts";
 * const actor = await startActor({
 *   url: "ws://127.0.0.1:7070",
 *   role: "echo",
 *   secret: "the actor secret",
 *   handlers: { echo: ({ body }) => body },
 * });
 * ```
 */
export async function startActor(options: ActorOptions): Promise<Actor> {
  const {
    url,
    role,
    secret,
    handlers,
    name = role,
    concurrency = 64,
    socketFactory = (target, protocol) => new WebSocket(target, protocol) as unknown as SocketLike,
    logger = NOOP_LOGGER,
  } = options;
  const running = new Map<CorrelationId, AbortController>();

  const connection: Connection = await Connection.open(socketFactory, url, {
    hello: { token: secret, role, name, concurrency },
    onRequest: (req) => void serve(req),
    onCancel: (id) => running.get(id)?.abort(),
    onClose: (info) => {
      for (const controller of running.values()) controller.abort();
      options.onClose?.(info);
    },
  });

  async function serve(req: Req): Promise<void> {
    const controller = new AbortController();
    running.set(req.id, controller);
    const ttl = req.ttl ?? 0;
    const deadline = performance.now() + ttl;
    const timer = setTimeout(() => controller.abort(), ttl);
    const signal = controller.signal;
    try {
      const handler = Object.hasOwn(handlers, req.op) ? handlers[req.op] : undefined;
      if (!handler) throw new BadRequestError(`Cannot serve op "${req.op}": role "${role}" has no such op`);
      const body = await handler({
        body: req.body,
        tenant: req.tenant ?? "",
        signal,
        deadline,
        call: (to, op, callBody, callOptions = {}) =>
          connection.request(to, op, callBody, { deadline, signal, ...callOptions }),
      });
      connection.send({ t: "res", id: req.id, body: body ?? null });
    } catch (error) {
      const failure = asStrongroomError(error);
      if (failure.code === "INTERNAL") logger.error("Handler failed", { op: req.op, error: describe(failure.cause) });
      connection.send(errFrame(req.id, failure.code, failure.message));
    } finally {
      clearTimeout(timer);
      running.delete(req.id);
    }
  }

  return {
    connection,
    get active() {
      return running.size;
    },
    close() {
      connection.close(1000, "Actor stopping");
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
