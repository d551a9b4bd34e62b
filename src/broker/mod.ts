/**
 * The broker: routes CBOR messages between clients and actors over
 * WebSocket. It authenticates peers, keeps actors by role, spreads requests
 * over them by load, queues a bounded number, enforces deadlines, limits
 * and liveness, and answers every request exactly once.
 *
 * @example Starting a broker
 * ```ts
 * import { startBroker } from "./mod.ts";
 * const broker = await startBroker({ port: 0, actorSecret: "a long random secret" });
 * console.log(`listening on ${broker.url}`);
 * await broker.close();
 * ```
 *
 * @module
 */
export { type Broker, startBroker } from "./broker.ts";
export { type HttpHandler, httpRouter } from "./http.ts";
export { LATENCY_BUCKETS, MAX_OPS_PER_ROLE } from "./metrics.ts";
export { BROKER_DEFAULTS, type BrokerOptions, isLoopback, type TlsOptions } from "./options.ts";
