/**
 * A request the broker is routing, from its arrival to its answer.
 *
 * Two lifetimes meet in it. The caller's ends once it is answered (by the
 * actor, or by the broker: TIMEOUT, CANCELLED, UNAVAILABLE). The actor's
 * slot ends only when the actor answers or goes away, even if the caller
 * was answered before, so that an actor never holds more requests than its
 * declared concurrency.
 *
 * A stream keeps its route, sticky to the actor picked, for as long as
 * chunks move: the broker passes chunks and credit on, holding no more than
 * the window the receiver granted.
 *
 * @module
 */
import type { CorrelationId } from "../protocol/wire/mod.ts";
import type { Peer } from "./peer.ts";

/** A request in the broker: queued, then delivered, answered once. */
export interface Route {
  readonly caller: Peer;
  /** The caller's correlation id. */
  readonly callerId: CorrelationId;
  readonly role: string;
  readonly op: string;
  /** The caller's tenant, passed to the actor. */
  readonly tenant: string;
  /** When the time budget runs out, on the `performance.now()` clock. */
  readonly deadline: number;
  /** When it arrived, on the `performance.now()` clock. */
  readonly start: number;
  /** Bytes of the frame it came in, counted against the queue's byte limit. */
  readonly size: number;
  /** The body to deliver, still its CBOR bytes; dropped once delivered or answered. */
  body: Uint8Array | undefined;
  /** The broker's id for it on the actor's connection; 0 until delivered. */
  key: number;
  /** The actor serving it, once delivered. */
  actor: Peer | undefined;
  /** Whether the caller has its answer (for a streamed answer: its last chunk, or an error). */
  answered: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the caller uploads chunks after the request (`stream: true`). */
  readonly upload: boolean;
  /** Whether the actor's answer was a `res` with `stream`, its chunks following. */
  downloading: boolean;
  /** When a chunk or credit last moved, once the stream started; `0` before. */
  moved: number;
  /** Chunks the actor granted the caller and the caller did not send yet. */
  uploadCredit: number;
  /** Chunks the caller granted the actor and the actor did not send yet; before delivery, granted to pass on. */
  downloadCredit: number;
}
