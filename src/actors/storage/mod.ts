/**
 * The storage actor: keeps `locator → value` pairs durably in files in one
 * data directory, and serves them to the other actors.
 *
 * @example Starting a storage actor
 * ```ts
 * import { startStorage } from "./mod.ts";
 * const storage = await startStorage({ url: "ws://127.0.0.1:7070", secret: "the actor secret", dir: "./data" });
 * await storage.close();
 * ```
 *
 * @module
 */
import { type Actor, type ActorOptions, startActor } from "../runtime/mod.ts";
import { type Engine, type EngineOptions, openEngine } from "./engine/mod.ts";
import { LOCATOR_LENGTH, STORAGE_ROLE, storageHandlers, type StorageLimits } from "./storage.ts";

export { type Engine, type EngineOptions, type EngineStats, openEngine } from "./engine/mod.ts";
export { LOCATOR_LENGTH, STORAGE_ROLE, storageHandlers, type StorageLimits } from "./storage.ts";

/** Options of {@link startStorage}. */
export interface StorageOptions extends Omit<ActorOptions, "role" | "handlers">, StorageLimits {
  /** The data directory. */
  dir: string;
  /** Options of the engine. @default {} */
  engine?: EngineOptions;
}

/** A running storage actor. */
export interface Storage {
  readonly actor: Actor;
  readonly engine: Engine;
  /** Disconnects from the broker, then closes the engine once writes in progress are on disk. */
  close(): Promise<void>;
}

/**
 * Opens the data directory and connects the storage actor to the broker.
 *
 * @param options Broker URL, actor secret, data directory.
 * @returns The running storage actor.
 * @throws {Error} When the data directory cannot be opened.
 * @throws {StrongroomError} When the broker refuses it or cannot be reached.
 */
export async function startStorage(options: StorageOptions): Promise<Storage> {
  const { dir, engine: engineOptions, maxValue, ...actorOptions } = options;
  const engine = await openEngine(dir, engineOptions);
  let actor: Actor;
  try {
    actor = await startActor({ ...actorOptions, role: STORAGE_ROLE, handlers: storageHandlers(engine, { maxValue }) });
  } catch (error) {
    await engine.close();
    throw error;
  }
  return {
    actor,
    engine,
    async close() {
      actor.close();
      await engine.close();
    },
  };
}
