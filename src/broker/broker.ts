/**
 * The broker: a WebSocket server that authenticates peers, keeps the
 * registry of actors and routes requests and answers between them. It reads
 * envelopes only and passes bodies on untouched.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { nanoid } from "nanoid";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import {
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_TIMEOUT_MS,
  encode,
  errFrame,
  type Logger,
  type Message,
  maxPayloadFor,
  NOOP_LOGGER,
  parseFrame,
  ProtocolError,
  StrongroomError,
  SUBPROTOCOL,
} from "../protocol/mod.ts";
import { Authenticator } from "./auth.ts";
import { servePage } from "./page.ts";
import { Peer } from "./peer.ts";
import { Router } from "./router.ts";

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 7070 */
  port?: number;
  /** The secret actors present to register a role. Required. */
  actorSecret: string;
  /** Client tokens and the tenant each maps to. @default {} */
  tokens?: Readonly<Record<string, string>>;
  /** Roles clients may call. @default ["encryptor"] */
  publicRoles?: readonly string[];
  /** Largest frame accepted, in bytes; larger frames close the connection with 1009. @default 16777216 */
  maxFrame?: number;
  /** Largest record id, in bytes, advertised to clients. @default 1024 */
  maxId?: number;
  /** Most requests one connection may have in flight. @default 1024 */
  maxInFlight?: number;
  /** Time budget of a request without `ttl`, in ms. @default 10000 */
  defaultTimeout?: number;
  /** Time a new connection has to send its `hello`, in ms. @default 5000 */
  helloTimeout?: number;
  /** Where lifecycle events go. @default NOOP_LOGGER */
  logger?: Logger;
}

/** A running broker. */
export interface Broker {
  /** The `ws://` URL clients connect to. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops accepting, closes every connection with 1001 and the server. */
  close(): Promise<void>;
}

/**
 * Starts a broker and resolves once it listens.
 *
 * @param options Listen address, secrets and limits.
 * @returns The running broker.
 * @throws {TypeError} When `actorSecret` is missing or empty.
 * @example Starting a broker on a free port
 * ```ts
 * import { startBroker } from "./broker.ts";
 * const broker = await startBroker({ port: 0, actorSecret: "a long random secret" });
 * console.log(broker.url);
 * await broker.close();
 * ```
 */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const {
    host = "127.0.0.1",
    port = 7070,
    actorSecret,
    tokens = {},
    publicRoles = ["encryptor"],
    maxFrame = DEFAULT_MAX_FRAME,
    maxId = DEFAULT_MAX_ID,
    maxInFlight = DEFAULT_MAX_IN_FLIGHT,
    defaultTimeout = DEFAULT_TIMEOUT_MS,
    helloTimeout = DEFAULT_HELLO_TIMEOUT_MS,
    logger = NOOP_LOGGER,
  } = options;
  if (typeof actorSecret !== "string" || actorSecret.length === 0) {
    throw new TypeError('Invalid option "actorSecret": expected a non-empty string');
  }

  const auth = new Authenticator(actorSecret, tokens, isLoopback(host));
  const router = new Router({ publicRoles, maxInFlight, defaultTimeout });
  const welcome = { maxFrame, maxPayload: maxPayloadFor(maxFrame), maxId, maxInFlight };

  const server: Server = createServer(handleHttp);
  const wss = new WebSocketServer({
    server,
    maxPayload: maxFrame,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  wss.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    const log = logger.child({ conn: nanoid(10) });
    if (socket.protocol !== SUBPROTOCOL) {
      socket.close(1002, `Subprotocol "${SUBPROTOCOL}" is required`);
      return;
    }
    log.debug("Connection opened", { from: request.socket.remoteAddress });
    let peer: Peer | undefined;
    const helloTimer = setTimeout(() => socket.close(1008, "No hello in time"), helloTimeout);

    socket.on("message", (data: RawData, isBinary: boolean) => {
      try {
        onFrame(data as Buffer, isBinary);
      } catch (error) {
        // A bug must cost one connection, never the broker.
        log.error("Failure while handling a frame", { error: String(error) });
        socket.close(1011, "Internal error");
      }
    });
    const onFrame = (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        socket.close(1003, "Text frames are not part of the protocol");
        return;
      }
      let message: Message;
      try {
        message = parseFrame(data, { maxFrame });
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        if (peer && error.requestId !== null) peer.send(errFrame(error.requestId, error.code, error.message));
        else socket.close(error.code === "TOO_LARGE" ? 1009 : 1002, error.message.slice(0, 120));
        return;
      }
      if (!peer) {
        clearTimeout(helloTimer);
        peer = accept(socket, message, log);
        return;
      }
      dispatch(peer, message);
    };
    socket.on("close", (code: number) => {
      clearTimeout(helloTimer);
      if (!peer) return;
      router.closed(peer);
      log.info(peer.kind === "actor" ? "Actor left" : "Client left", { role: peer.role, code });
    });
    socket.on("error", (error: Error) => log.warn("Connection error", { error: error.message }));
  });

  function accept(socket: WebSocket, message: Message, log: Logger): Peer | undefined {
    if (message.t !== "hello") {
      socket.close(1002, "Expected a hello");
      return undefined;
    }
    let identity;
    try {
      identity = auth.identify(message);
    } catch (error) {
      if (!(error instanceof StrongroomError)) throw error;
      log.warn("Hello refused", { code: error.code, role: message.role });
      socket.send(encode(errFrame(null, error.code, error.message)));
      socket.close(1008, error.code);
      return undefined;
    }
    const id = nanoid();
    const peer = new Peer(socket, {
      id,
      kind: identity.kind,
      role: identity.kind === "actor" ? identity.role : undefined,
      name: message.name,
      tenant: identity.kind === "client" ? identity.tenant : "",
      concurrency: message.concurrency ?? 1,
      log,
    });
    if (peer.kind === "actor") {
      router.register(peer);
      log.info("Actor registered", { role: peer.role, name: peer.name });
    }
    peer.send({ t: "welcome", id, ...welcome });
    return peer;
  }

  function dispatch(peer: Peer, message: Message): void {
    switch (message.t) {
      case "req":
        return router.request(peer, message);
      case "cancel":
        return router.cancel(peer, message.id);
      case "res":
      case "err":
        if (peer.kind === "actor") return router.reply(peer, message);
        break;
      case "drain":
        if (peer.kind === "actor") return router.drain(peer);
        break;
    }
    peer.close(1002, `Unexpected "${message.t}" from a ${peer.kind}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `ws://${host.includes(":") ? `[${host}]` : host}:${bound}`;
  logger.info("Broker listening", { url });

  return {
    url,
    port: bound,
    async close() {
      for (const client of wss.clients) client.close(1001, "Broker shutting down");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function handleHttp(request: IncomingMessage, response: ServerResponse): void {
  if (servePage(request, response)) return;
  if (request.method === "GET" && request.url === "/healthz") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    return;
  }
  response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
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
