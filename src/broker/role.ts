/**
 * One role at the broker: its actors, and the requests waiting for one of
 * them to be free.
 *
 * @module
 */
import type { Peer } from "./peer.ts";
import type { Route } from "./route.ts";

/** The actors of a role and its queue. */
export class Role {
  readonly name: string;
  readonly actors = new Set<Peer>();
  #queue = new Set<Route>();
  #queuedBytes = 0;
  #picks = 0;

  /** @param name The role's name. */
  constructor(name: string) {
    this.name = name;
  }

  /** Requests waiting, oldest first. */
  get queue(): ReadonlySet<Route> {
    return this.#queue;
  }

  /** Bytes of the requests waiting. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Requests delivered to the role's actors and not answered by them yet. */
  get inFlight(): number {
    let total = 0;
    for (const actor of this.actors) total += actor.serving.size;
    return total;
  }

  /**
   * Picks the actor to serve the next request: the one with the fewest in
   * flight among those below their concurrency, not draining and not
   * congested; among equals the one given a request longest ago, so that
   * light load also spreads.
   *
   * @returns The actor, or `undefined` when none is free.
   */
  pick(): Peer | undefined {
    let best: Peer | undefined;
    for (const actor of this.actors) {
      const load = actor.serving.size;
      if (actor.draining || load >= actor.concurrency || !actor.open || actor.congested) continue;
      if (!best || load < best.serving.size || (load === best.serving.size && actor.lastPicked < best.lastPicked)) best = actor;
    }
    if (best) best.lastPicked = ++this.#picks;
    return best;
  }

  /**
   * Adds a request to the end of the queue.
   *
   * @param route The request.
   */
  enqueue(route: Route): void {
    this.#queue.add(route);
    this.#queuedBytes += route.size;
  }

  /**
   * Takes the oldest request off the queue.
   *
   * @returns It, or `undefined` when the queue is empty.
   */
  shift(): Route | undefined {
    const first = this.#queue.values().next();
    if (first.done) return undefined;
    this.remove(first.value);
    return first.value;
  }

  /**
   * Removes a request from the queue, wherever it is.
   *
   * @param route The request; nothing happens when it is not queued.
   */
  remove(route: Route): void {
    if (this.#queue.delete(route)) this.#queuedBytes -= route.size;
  }
}
