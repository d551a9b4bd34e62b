/**
 * One WebSocket connection at the broker, from `hello` to close: who it is,
 * what it asked and what it serves, and a send that refuses to buffer
 * without bound for a peer that does not read.
 *
 * @module
 */
import type { WebSocket } from "ws";
import { type Logger } from "../protocol/peer/mod.ts";
import { closeReason, type CorrelationId, encodeParts, type Message } from "../protocol/wire/mod.ts";
import type { Route } from "./route.ts";

/** What a peer is, once its `hello` was accepted. */
export type PeerKind = "client" | "actor";

/** What a peer is made of. */
export interface PeerInit {
  /** The connection's id, sent in `welcome`. */
  id: string;
  kind: PeerKind;
  /** The role an actor serves. */
  role?: string;
  /** The name the peer gave, for people. */
  name?: string;
  /** The tenant of a client's token; empty for actors and token-less clients. */
  tenant: string;
  /** How many requests an actor takes at once. */
  concurrency: number;
  log: Logger;
  /** Bytes waiting to be sent past which the peer is closed. */
  maxBuffered: number;
  /** Bytes waiting to be sent past which an actor gets no new requests. */
  congestion: number;
  /** Called when an actor's sent frames leave its buffer and it may take requests again. */
  onWritable?: () => void;
}

/** A connected, authenticated peer. */
export class Peer {
  readonly id: string;
  readonly kind: PeerKind;
  readonly role: string | undefined;
  readonly name: string;
  readonly tenant: string;
  readonly concurrency: number;
  readonly log: Logger;
  /** When it was accepted, on the `performance.now()` clock. */
  readonly since = performance.now();
  /** Requests this peer sent, by its correlation id, until answered. */
  readonly calls = new Map<CorrelationId, Route>();
  /** Requests delivered to this actor, by the broker's key, until the actor answers. */
  readonly serving = new Map<number, Route>();
  /** Whether an actor asked for no new requests. */
  draining = false;
  /** Requests this actor answered with `res`. */
  served = 0;
  /** Requests this actor answered with `err`. */
  failed = 0;
  /** When it was last given a request, as a count; ties of load go to the longest idle. */
  lastPicked = 0;
  #socket: WebSocket;
  #maxBuffered: number;
  #congestion: number;
  #onSent: ((error?: Error) => void) | undefined;

  /**
   * @param socket The accepted WebSocket.
   * @param init Identity and limits.
   */
  constructor(socket: WebSocket, init: PeerInit) {
    this.#socket = socket;
    this.id = init.id;
    this.kind = init.kind;
    this.role = init.role;
    this.name = init.name ?? init.kind;
    this.tenant = init.tenant;
    this.concurrency = init.concurrency;
    this.log = init.log;
    this.#maxBuffered = init.maxBuffered;
    this.#congestion = init.congestion;
    const onWritable = init.onWritable;
    if (onWritable) this.#onSent = (error) => !error && !this.congested && onWritable();
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /** Whether so much waits to be sent to it that it should get no new requests for now. */
  get congested(): boolean {
    return this.#socket.bufferedAmount >= this.#congestion;
  }

  /**
   * Sends one message. A peer whose unsent bytes pass the limit is not
   * reading: it is cut off at once rather than buffered for.
   *
   * @param message The message to send.
   * @returns `false` when the socket was no longer open and nothing was sent.
   */
  send(message: Message): boolean {
    if (!this.open) return false;
    const parts = encodeParts(message);
    if (parts.length === 1) this.#socket.send(parts[0]!, this.#onSent);
    else {
      // A body passed on goes out as its own fragment of the message: the bytes it came in, never copied.
      this.#socket.send(parts[0]!, { binary: true, fin: false });
      this.#socket.send(parts[1]!, { binary: true, fin: true }, this.#onSent);
    }
    const buffered = this.#socket.bufferedAmount;
    if (buffered > this.#maxBuffered) {
      this.log.warn("Closing a peer that does not read", { buffered, limit: this.#maxBuffered });
      // close() would queue its frame behind what the peer does not read; this frees the memory now.
      this.#socket.terminate();
      return false;
    }
    return true;
  }

  /**
   * Closes the connection with a close frame.
   *
   * @param code WebSocket close code.
   * @param reason Close reason, cut to the 123 bytes of UTF-8 a close frame holds.
   */
  close(code: number, reason: string): void {
    this.#socket.close(code, closeReason(reason));
  }
}
