/**
 * The role the broker serves itself, `$broker`, and the shapes of its
 * answers. Any authenticated peer may call it.
 *
 * @module
 */

/** The role of the broker's own ops: `actors` and `stats`. */
export const BROKER_ROLE = "$broker";

/** One actor connection, as the broker sees it. */
export interface ActorReport {
  /** The connection's id at the broker. */
  id: string;
  /** The name the actor gave in its hello. */
  name: string;
  /** Requests it takes at once. */
  concurrency: number;
  /** Requests delivered to it and not answered yet. */
  inFlight: number;
  /** Requests it answered with `res`. */
  served: number;
  /** Requests it answered with `err`. */
  failed: number;
  /** Whether it asked for no new requests. */
  draining: boolean;
  /** Seconds since it registered. */
  uptime: number;
}

/** One role: its actors and the requests waiting for one of them. */
export interface RoleReport {
  role: string;
  /** Requests waiting for a free actor. */
  queued: number;
  actors: ActorReport[];
}

/** The answer of `$broker.actors`. */
export interface ActorsReport {
  roles: RoleReport[];
}

/** The answer of `$broker.stats`. */
export interface StatsReport {
  /** Seconds since the broker started. */
  uptime: number;
  /** Open connections after their hello. */
  connections: { clients: number; actors: number };
  /** Requests answered since the start, by outcome: `ok` or an error code. */
  requests: Record<string, number>;
  /** Requests delivered to actors and not answered yet. */
  inFlight: number;
  /** Requests waiting for a free actor. */
  queued: number;
  /** The broker process's memory, in bytes. */
  memory: { rss: number; heapUsed: number };
}
