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
import type { StorageFailedError } from "../../protocol/wire/mod.ts";
import { type Actor, type ActorOptions, startActor } from "../runtime/mod.ts";
import { type Engine, type EngineOptions, openEngine } from "./engine/mod.ts";
import { STORAGE_ROLE, storageHandlers, type StorageLimits } from "./storage.ts";

export {
  type CompactionResult,
  type Engine,
  type EngineEvent,
  type EngineOptions,
  type EngineStats,
  ENGINE_DEFAULTS,
  type FileLike,
  type FileSystem,
  KEY_LENGTH,
  NODE_FILE_SYSTEM,
  type OpenMode,
  openEngine,
  type RecoveryReport,
} from "./engine/mod.ts";
export { logEngineEvent } from "./events.ts";
export { LOCATOR_LENGTH, STORAGE_ROLE, storageHandlers, type StorageLimits } from "./storage.ts";

/** Options of {@link startStorage}. */
export interface StorageOptions extends Omit<ActorOptions, "role" | "handlers">, StorageLimits {
  /** The data directory. */
  dir: string;
  /** Options of the engine. @default {} */
  engine?: EngineOptions;
  /**
   * Called once when the engine stops after a failed write or sync; the
   * actor has disconnected by then, so that no request gets an ok.
   * @default undefined
   */
  onFailed?: (error: StorageFailedError) => void;
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
 * @throws {StorageFailedError} When the data directory cannot be opened or another process holds it.
 * @throws {StrongroomError} When the broker refuses it or cannot be reached.
 */
export async function startStorage(options: StorageOptions): Promise<Storage> {
  const { dir, engine: engineOptions = {}, maxValue, maxBatch, maxAnswer, onFailed, ...actorOptions } = options;
  let actor: Actor | undefined;
  const engine = await openEngine(dir, {
    ...engineOptions,
    onEvent(event) {
      engineOptions.onEvent?.(event);
      if (event.type === "failed") {
        // Leave the failing batch a turn to send its STORAGE_FAILED answers first.
        setTimeout(() => {
          actor?.close();
          onFailed?.(event.error);
        }, 0);
      }
    },
  });
  try {
    actor = await startActor({
      // Requests taken at once are what group commit can batch into one fsync.
      concurrency: 256,
      ...actorOptions,
      role: STORAGE_ROLE,
      handlers: storageHandlers(engine, { maxValue, maxBatch, maxAnswer }),
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const running = actor;
  return {
    actor: running,
    engine,
    async close() {
      running.close();
      await engine.close();
    },
  };
}
