/**
 * A broker with actors and sessions in this process, on real sockets, all
 * stopped together at the end of a test.
 *
 * @module
 */
import { type Actor, type ActorOptions, startActor } from "../../src/actors/runtime/mod.ts";
import { type Broker, type BrokerOptions, startBroker } from "../../src/broker/mod.ts";
import { Session, type SessionOptions } from "../../src/protocol/peer/mod.ts";
import { wsFactory } from "./sockets.ts";

/** Quick reconnection, for tests that restart a broker. */
export const FAST_BACKOFF = { initial: 20, max: 200 };

/** Starts parts and remembers how to stop them. */
export class Stack {
  readonly secret: string;
  #stops: (() => unknown)[] = [];

  /** @param secret The actor secret of every broker and actor it starts. */
  constructor(secret: string) {
    this.secret = secret;
  }

  /** Starts a broker on a free port (unless told otherwise) with a short shutdown and no warm-up. */
  async broker(options: Partial<BrokerOptions> = {}): Promise<Broker> {
    const broker = await startBroker({ port: 0, actorSecret: this.secret, shutdownTimeout: 100, warmup: 0, ...options });
    this.#stops.push(() => broker.close());
    return broker;
  }

  /** Starts an actor of `role` that reconnects quickly. */
  async actor(url: string, role: string, options: Partial<ActorOptions> = {}): Promise<Actor> {
    const actor = await startActor({ url, role, secret: this.secret, handlers: {}, backoff: FAST_BACKOFF, ...options });
    this.#stops.push(() => actor.close());
    return actor;
  }

  /** Opens a client session that reconnects quickly. */
  async session(url: string, options: SessionOptions = {}): Promise<Session> {
    const session = await Session.open(wsFactory, url, { backoff: FAST_BACKOFF, ...options });
    this.#stops.push(() => session.close());
    return session;
  }

  /** Registers something else to stop. */
  defer(stop: () => unknown): void {
    this.#stops.push(stop);
  }

  /** Stops everything, last started first. */
  async stop(): Promise<void> {
    for (const stop of this.#stops.splice(0).reverse()) await stop();
  }
}
