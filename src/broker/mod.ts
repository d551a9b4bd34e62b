/**
 * The broker: routes CBOR messages between clients and actors over
 * WebSocket. It authenticates peers, keeps actors by role, spreads requests
 * over them and answers every request exactly once.
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
export { type Broker, type BrokerOptions, isLoopback, startBroker } from "./broker.ts";
