/**
 * The ops of `$broker`, served by the broker itself: `actors` (who serves
 * what, and how busy) and `stats` (connections, answers by outcome, uptime).
 *
 * @module
 */
import { type ActorsReport, BadRequestError, BROKER_ROLE, type StatsReport } from "../protocol/wire/mod.ts";
import type { Metrics } from "./metrics.ts";
import type { Router } from "./router.ts";

/** What the `$broker` ops read. */
export interface IntrospectionSources {
  router: Router;
  metrics: Metrics;
  /** When the broker started, on the `performance.now()` clock. */
  started: number;
}

/**
 * Answers one `$broker` op.
 *
 * @param op `actors` or `stats`.
 * @param sources The router, metrics and start time.
 * @returns The answer's body.
 * @throws {BadRequestError} For any other op.
 */
export function serveBrokerOp(op: string, sources: IntrospectionSources): ActorsReport | StatsReport {
  if (op === "actors") return actorsReport(sources);
  if (op === "stats") return statsReport(sources);
  throw new BadRequestError(`Cannot serve op "${op}": role "${BROKER_ROLE}" has only "actors" and "stats"`);
}

function actorsReport({ router }: IntrospectionSources): ActorsReport {
  const now = performance.now();
  return {
    roles: [...router.roles()].map((role) => ({
      role: role.name,
      queued: role.queue.size,
      actors: [...role.actors].map((actor) => ({
        id: actor.id,
        name: actor.name,
        concurrency: actor.concurrency,
        inFlight: actor.serving.size,
        served: actor.served,
        failed: actor.failed,
        draining: actor.draining,
        uptime: Math.round((now - actor.since) / 1000),
      })),
    })),
  };
}

function statsReport({ router, metrics, started }: IntrospectionSources): StatsReport {
  let inFlight = 0;
  let queued = 0;
  for (const role of router.roles()) {
    inFlight += role.inFlight;
    queued += role.queue.size;
  }
  const { client, actor } = router.connections;
  const { rss, heapUsed } = process.memoryUsage();
  return {
    uptime: Math.round((performance.now() - started) / 1000),
    connections: { clients: client, actors: actor },
    requests: metrics.outcomes(),
    inFlight,
    queued,
    memory: { rss, heapUsed },
  };
}
