/**
 * One WebSocket connection at the broker, from `hello` to close.
 *
 * @module
 */
import type { WebSocket } from "ws";
import { type CorrelationId, encode, type Logger, type Message } from "../protocol/mod.ts";

/** A request the broker is routing: who asked, under which id, and who serves it. */
export interface Route {
  /** The broker's own id for the request, used on the actor's connection. */
  readonly key: number;
  readonly caller: Peer;
  /** The caller's correlation id. */
  readonly callerId: CorrelationId;
  readonly role: string;
  readonly op: string;
  /** The actor serving it. */
  readonly actor: Peer;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What a peer is, once its `hello` was accepted. */
export type PeerKind = "client" | "actor";

/** A connected, authenticated peer. */
export class Peer {
  /** The connection's id, sent in `welcome`. */
  readonly id: string;
  readonly kind: PeerKind;
  /** The role an actor serves. */
  readonly role: string | undefined;
  /** The name the peer gave, for people. */
  readonly name: string | undefined;
  /** The tenant a client's token maps to; empty for actors and token-less clients. */
  readonly tenant: string;
  /** How many requests an actor takes at once. */
  readonly concurrency: number;
  readonly log: Logger;
  /** Whether an actor asked for no new requests. */
  draining = false;
  /** Requests this peer sent, by its correlation id. */
  readonly calls = new Map<CorrelationId, Route>();
  /** Requests delivered to this actor, by the broker's key. */
  readonly serving = new Map<number, Route>();
  #socket: WebSocket;

  constructor(
    socket: WebSocket,
    init: { id: string; kind: PeerKind; role?: string; name?: string; tenant: string; concurrency: number; log: Logger },
  ) {
    this.#socket = socket;
    this.id = init.id;
    this.kind = init.kind;
    this.role = init.role;
    this.name = init.name;
    this.tenant = init.tenant;
    this.concurrency = init.concurrency;
    this.log = init.log;
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /**
   * Sends one message; does nothing once the socket has closed.
   *
   * @param message The message to send.
   */
  send(message: Message): void {
    if (this.open) this.#socket.send(encode(message));
  }

  /**
   * Closes the connection.
   *
   * @param code WebSocket close code.
   * @param reason Close reason, at most 123 bytes.
   */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }
}
