/**
 * The storage engine: a durable map from locators to values, kept in
 * append-only segment files in one data directory.
 *
 * @example Putting and getting a value
 * ```ts
 * import { openEngine } from "./mod.ts";
 * const engine = await openEngine("./data");
 * await engine.put(new Uint8Array([1]), new Uint8Array([2]));
 * await engine.get(new Uint8Array([1])); // Uint8Array [2]
 * await engine.close();
 * ```
 *
 * @module
 */
export { type Engine, type EngineOptions, type EngineStats, openEngine } from "./engine.ts";
