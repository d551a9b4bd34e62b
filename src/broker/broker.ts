/**
 * The broker: a WebSocket server that authenticates peers, keeps the
 * registry of actors and routes requests and answers between them. It reads
 * envelopes only and passes bodies on untouched. Its HTTP port also answers
 * `GET /healthz` and `GET /metrics`.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { withMessageParts } from "../protocol/peer/mod.ts";
import { maxPayloadFor, SUBPROTOCOL, SUBPROTOCOL_FAMILY } from "../protocol/wire/mod.ts";
import { Authenticator } from "./auth.ts";
import { Heartbeat } from "./heartbeat.ts";
import { httpRouter } from "./http.ts";
import { serveBrokerOp } from "./introspection.ts";
import { serveLink } from "./link.ts";
import { Metrics } from "./metrics.ts";
import { originAllowed } from "./origin.ts";
import { servePage } from "./page.ts";
import { type BrokerOptions, isLoopback, resolveBrokerOptions } from "./options.ts";
import type { PeerSocket } from "./peer.ts";
import { Router } from "./router.ts";

// Sockets that send a frame's parts (a large body among them) as one message without joining them.
const PartSendingWebSocket = withMessageParts(WebSocket);

/** A running broker. */
export interface Broker {
  /** The `ws://` or `wss://` URL peers connect to. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * Shuts down: stops accepting peers and new client requests, gives the
   * requests in flight up to `shutdownTimeout` to be answered, fails the
   * rest with `UNAVAILABLE`, then closes every connection with 1001.
   */
  close(): Promise<void>;
}

/** Time peers get to answer the close handshake before their sockets are destroyed, in ms. */
const CLOSE_HANDSHAKE_MS = 2000;

/**
 * Starts a broker and resolves once it listens.
 *
 * @param options Listen address, secrets, TLS, limits.
 * @returns The running broker.
 * @throws {TypeError} When `actorSecret` is missing or empty.
 * @throws {RangeError} When a limit is out of range, or a non-loopback host has no client tokens.
 * @example Starting a broker on a free port
 * ```ts
 * import { startBroker } from "./broker.ts";
 * const broker = await startBroker({ port: 0, actorSecret: "a long random secret" });
 * console.log(broker.url);
 * await broker.close();
 * ```
 */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const opts = resolveBrokerOptions(options);
  const { host, port, maxFrame, logger } = opts;
  const started = performance.now();
  let closing = false;

  const metrics = new Metrics();
  const auth = new Authenticator(opts.actorSecret, opts.tokens, isLoopback(host));
  const router: Router = new Router({
    publicRoles: opts.publicRoles,
    maxInFlight: opts.maxInFlight,
    maxQueue: opts.maxQueue,
    maxQueueBytes: opts.maxQueueBytes,
    defaultTimeout: opts.defaultTimeout,
    warmup: opts.warmup,
    streamIdle: opts.streamIdle,
    metrics,
    serveBroker: (op) => serveBrokerOp(op, { router, metrics, started }),
  });

  const http = httpRouter({
    "GET /healthz": (_request, response) => {
      response.writeHead(closing ? 503 : 200, { "content-type": "text/plain; charset=utf-8" }).end(closing ? "shutting down\n" : "ok\n");
    },
    "GET /metrics": (_request, response) => {
      const body = metrics.render({
        connections: router.connections,
        roles: [...router.roles()].map((r) => ({ role: r.name, actors: r.actors.size, queued: r.queue.size, inFlight: r.inFlight })),
        uptime: (performance.now() - started) / 1000,
        rss: process.memoryUsage().rss,
      });
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(body);
    },
  });
  // The page (`/`, its script and style) first, then the table of the broker's own routes.
  const listener = (request: IncomingMessage, response: ServerResponse) => servePage(request, response) || http(request, response);
  const server: Server = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key, ALPNProtocols: ["http/1.1"] }, listener) : createServer(listener);

  const wss = new WebSocketServer({
    server,
    WebSocket: PartSendingWebSocket,
    maxPayload: maxFrame,
    perMessageDeflate: false,
    // A peer asking only for another version of the protocol is taken in, to be told in the close
    // reason which version this broker speaks; a socket asking for none of ours is refused.
    handleProtocols: (protocols) =>
      protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : ([...protocols].find((p) => p.startsWith(SUBPROTOCOL_FAMILY)) ?? false),
    verifyClient: (info, done) => {
      const upgrade = { origin: info.req.headers.origin, host: info.req.headers.host, secure: info.secure };
      if (!originAllowed(upgrade, opts.allowedOrigins, isLoopback(host))) done(false, 403, "Origin not allowed");
      else if (closing) done(false, 503, "Broker shutting down");
      else if (wss.clients.size >= opts.maxConnections) done(false, 503, "Too many connections");
      else done(true);
    },
  });
  wss.on("error", (error) => logger.error("Server error", { error: error.message }));
  const heartbeat =
    opts.heartbeat > 0
      ? new Heartbeat(opts.heartbeat, () => wss.clients, () => logger.warn("Closing a peer that missed its pong"))
      : undefined;
  const welcome = {
    maxFrame,
    maxPayload: maxPayloadFor(maxFrame, opts.maxId),
    maxId: opts.maxId,
    maxInFlight: opts.maxInFlight,
    heartbeat: opts.heartbeat,
  };
  wss.on("connection", (socket, request) =>
    serveLink(socket as PeerSocket, request, {
      auth,
      router,
      heartbeat,
      welcome,
      maxFrame,
      maxBuffered: opts.maxBuffered,
      helloTimeout: opts.helloTimeout,
      counts: metrics.frames,
      closing: () => closing,
      logger,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${bound}`;
  logger.info("Broker listening", { url });

  let closed: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    closing = true;
    router.shutdown();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info("Broker shutting down");
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([router.whenIdle(), new Promise((resolve) => (timer = setTimeout(resolve, opts.shutdownTimeout)))]);
    clearTimeout(timer);
    router.failAll("Broker shut down with the request in flight");
    heartbeat?.stop();
    // The answers just given go out at the end of this turn, before any socket closes.
    await new Promise((resolve) => setImmediate(resolve));
    for (const socket of wss.clients) socket.close(1001, "Broker shutting down");
    const deadline = Date.now() + CLOSE_HANDSHAKE_MS;
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of wss.clients) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await serverClosed;
    logger.info("Broker stopped");
  }

  return {
    url,
    port: bound,
    close() {
      closed ??= shutdown();
      return closed;
    },
  };
}
