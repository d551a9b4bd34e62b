/**
 * One WebSocket connection at the broker, from `hello` to close: who it is,
 * what it asked and what it serves, and a send that packs what one turn
 * produced for it into one frame and refuses to buffer without bound for a
 * peer that does not read.
 *
 * @module
 */
import type { WebSocket } from "ws";
import { type Logger, Outbox, type PartSender } from "../protocol/peer/mod.ts";
import { closeReason, type CorrelationId, type Message } from "../protocol/wire/mod.ts";
import type { FrameCounts } from "./metrics.ts";
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
  /** Largest frame the peer takes, in bytes. */
  maxFrame: number;
  /** Where frames and messages sent are counted. */
  counts: FrameCounts;
}

/** The accepted socket: `ws`'s, able to send a message in parts. */
export type PeerSocket = WebSocket & PartSender;

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
  #socket: PeerSocket;
  #outbox: Outbox;
  #maxBuffered: number;
  #congestion: number;
  #onSent: ((error?: Error) => void) | undefined;
  #counts: FrameCounts;

  /**
   * @param socket The accepted WebSocket.
   * @param init Identity and limits.
   */
  constructor(socket: PeerSocket, init: PeerInit) {
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
    this.#counts = init.counts;
    this.#outbox = new Outbox((parts, messages, written) => this.#write(parts, messages, written), { maxFrame: init.maxFrame });
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /** Whether so much waits to be sent to it that it should get no new requests for now. */
  get congested(): boolean {
    return this.#socket.bufferedAmount + this.#outbox.size >= this.#congestion;
  }

  /**
   * Queues one message for the frame of this turn. A peer whose unsent
   * bytes pass the limit is not reading: it is cut off at once rather than
   * buffered for.
   *
   * @param message The message to send.
   * @returns `false` when the socket was no longer open and nothing was sent.
   */
  send(message: Message): boolean {
    if (!this.open) return false;
    this.#outbox.push(message);
    const buffered = this.#socket.bufferedAmount + this.#outbox.size;
    if (buffered > this.#maxBuffered) {
      this.log.warn("Closing a peer that does not read", { buffered, limit: this.#maxBuffered });
      this.#outbox.clear();
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
    if (this.open) this.#outbox.flush();
    this.#socket.close(code, closeReason(reason));
  }

  // A body passed on goes out as a part of its own: the bytes it came in, never copied.
  #write(parts: Uint8Array[], messages: number, written: () => void): void {
    if (!this.open) return;
    this.#counts.framesOut++;
    this.#counts.messagesOut += messages;
    const onSent = this.#onSent;
    this.#socket.sendParts(parts, (error) => {
      written();
      onSent?.(error);
    });
  }
}
