/**
 * One WebSocket at the broker, from the upgrade to the close: the hello
 * deadline, the handshake, then every message of every frame parsed and
 * handed to the router. A malformed frame costs at most its connection,
 * never the broker.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { nanoid } from "nanoid";
import type { RawData } from "ws";
import type { Logger } from "../protocol/peer/mod.ts";
import {
  closeReason,
  encodeFrame,
  errFrame,
  type FrameHandler,
  MAX_HELLO_FRAME,
  type Message,
  parseFrame,
  ProtocolError,
  StrongroomError,
  SUBPROTOCOL,
  type Welcome,
} from "../protocol/wire/mod.ts";
import type { Authenticator } from "./auth.ts";
import type { Heartbeat } from "./heartbeat.ts";
import type { FrameCounts } from "./metrics.ts";
import { Peer, type PeerSocket } from "./peer.ts";
import type { Router } from "./router.ts";

/** What every link shares. */
export interface LinkContext {
  auth: Authenticator;
  router: Router;
  heartbeat: Heartbeat | undefined;
  /** The limits every `welcome` advertises. */
  welcome: Omit<Welcome, "t" | "id">;
  maxFrame: number;
  maxBuffered: number;
  helloTimeout: number;
  /** Where frames and messages are counted. */
  counts: FrameCounts;
  /** Whether the broker is shutting down and refuses new peers. */
  closing(): boolean;
  logger: Logger;
}

/**
 * Serves one accepted WebSocket until it closes.
 *
 * @param socket The socket.
 * @param request The HTTP upgrade request.
 * @param context What every link shares.
 */
export function serveLink(socket: PeerSocket, request: IncomingMessage, context: LinkContext): void {
  const { router, maxFrame, counts } = context;
  const log = context.logger.child({ conn: nanoid(10) });
  if (socket.protocol !== SUBPROTOCOL) {
    // The handshake took the peer's own version so that this reason reaches it.
    socket.close(1002, `Subprotocol "${socket.protocol}" is not supported: this broker speaks "${SUBPROTOCOL}"`);
    return;
  }
  context.heartbeat?.watch(socket);
  log.debug("Connection opened", { from: request.socket.remoteAddress });
  let peer: Peer | undefined;
  let failed = false;
  const helloTimer = setTimeout(() => socket.close(1008, "No hello in time"), context.helloTimeout);

  // One handler for every frame of the connection: no closure is made per message.
  const handler: FrameHandler = {
    message(message, size) {
      if (failed) return;
      counts.messagesIn++;
      if (peer) return dispatch(peer, message, size, router);
      clearTimeout(helloTimer);
      peer = accept(socket, message, log, context);
      if (!peer) failed = true;
    },
    invalid(error) {
      if (failed) return;
      if (peer) return router.refuse(peer, error.requestId, error.code, error.message);
      failed = true;
      socket.close(1002, closeReason(error.message));
    },
  };

  const onFrame = (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      socket.close(1003, "Text frames are not part of the protocol");
      return;
    }
    counts.framesIn++;
    try {
      // Before its hello is accepted, a peer may send a small frame only: nothing large is read unauthenticated.
      parseFrame(data, handler, { maxFrame: peer ? maxFrame : Math.min(maxFrame, MAX_HELLO_FRAME) });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      failed = true;
      socket.close(error.code === "TOO_LARGE" ? 1009 : 1002, closeReason(error.message));
    }
  };

  socket.on("message", (data: RawData, isBinary: boolean) => {
    if (failed) return;
    try {
      onFrame(data as Buffer, isBinary);
    } catch (error) {
      // A bug must cost one connection, never the broker.
      failed = true;
      log.error("Failure while handling a frame", { error: error instanceof Error ? error.name : typeof error });
      socket.close(1011, "Internal error");
    }
  });
  socket.on("close", (code: number) => {
    clearTimeout(helloTimer);
    if (!peer) return;
    router.closed(peer);
    log.info(peer.kind === "actor" ? "Actor left" : "Client left", { role: peer.role, code });
  });
  socket.on("error", (error: Error) => log.warn("Connection error", { error: error.message }));
}

function accept(socket: PeerSocket, message: Message, log: Logger, context: LinkContext): Peer | undefined {
  if (message.t !== "hello") {
    socket.close(1002, "Expected a hello");
    return undefined;
  }
  if (context.closing()) {
    socket.send(encodeFrame(errFrame(null, "UNAVAILABLE", "Cannot accept peer: the broker is shutting down")));
    socket.close(1001, "Broker shutting down");
    return undefined;
  }
  let identity;
  try {
    identity = context.auth.identify(message);
  } catch (error) {
    if (!(error instanceof StrongroomError)) throw error;
    log.warn("Hello refused", { code: error.code, role: message.role });
    socket.send(encodeFrame(errFrame(null, error.code, error.message)));
    socket.close(1008, error.code);
    return undefined;
  }
  const id = nanoid();
  const actor = identity.kind === "actor";
  const peer: Peer = new Peer(socket, {
    id,
    kind: identity.kind,
    role: identity.kind === "actor" ? identity.role : undefined,
    name: message.name,
    tenant: identity.kind === "client" ? identity.tenant : "",
    concurrency: message.concurrency ?? 1,
    log,
    maxBuffered: context.maxBuffered,
    // Requests wait in the broker's bounded queue rather than in an actor's socket buffer.
    congestion: context.maxFrame,
    onWritable: actor ? () => context.router.writable(peer) : undefined,
    // What the broker sends, peers take: it builds every frame it sends under its own limit.
    maxFrame: context.maxFrame,
    counts: context.counts,
  });
  peer.send({ t: "welcome", id, ...context.welcome });
  context.router.connected(peer);
  if (actor) log.info("Actor registered", { role: peer.role, name: peer.name, concurrency: peer.concurrency });
  return peer;
}

function dispatch(peer: Peer, message: Message, size: number, router: Router): void {
  switch (message.t) {
    case "req":
      return router.request(peer, message, size);
    case "cancel":
      return router.cancel(peer, message.id, message.code);
    case "res":
    case "err":
      if (peer.kind === "actor") return router.reply(peer, message);
      break;
    case "drain":
      if (peer.kind === "actor") return router.drain(peer);
      break;
    case "data":
      // Only an actor serves requests: a client's chunks and credit are always for its own.
      if (!message.back || peer.kind === "actor") return router.data(peer, message);
      break;
    case "credit":
      if (!message.back || peer.kind === "actor") return router.credit(peer, message);
      break;
  }
  peer.close(1002, `Unexpected "${message.t}" from a ${peer.kind}`);
}
