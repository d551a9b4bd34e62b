/**
 * The storage engine: a durable map from 32-byte locators to values, kept in
 * append-only segment files in one data directory that it locks.
 *
 * @example Putting and getting a value
 * ```ts
 * import { openEngine } from "./mod.ts";
 * const engine = await openEngine("./data");
 * const key = new Uint8Array(32).fill(7);
 * await engine.put(key, new Uint8Array([2]));
 * await engine.get(key); // Uint8Array [2]
 * await engine.close();
 * ```
 *
 * @module
 */
export {
  type CompactionResult,
  type Engine,
  type EngineEvent,
  type EngineOptions,
  type EngineStats,
  ENGINE_DEFAULTS,
  openEngine,
  type RecoveryReport,
} from "./engine.ts";
export { type FileLike, type FileSystem, NODE_FILE_SYSTEM, type OpenMode } from "./file-system.ts";
export { KEY_LENGTH } from "./record.ts";
