/**
 * The log-structured engine: append-only segments written with group
 * commit, an in-memory keydir rebuilt at start, background hint files and
 * compaction, and a lock on the data directory.
 *
 * @module
 */
import { StorageFailedError } from "../../../protocol/wire/mod.ts";
import { CommitLoop } from "./commit-loop.ts";
import { type CompactionResult, CompactionSwitchError, compactSegments } from "./compaction.ts";
import { type FileSystem, isDiskFull, NODE_FILE_SYSTEM, writeAll } from "./file-system.ts";
import { HintBuilder } from "./hint.ts";
import type { Location } from "./key-index.ts";
import { Keydir } from "./keydir.ts";
import { type DirectoryLock, lockDirectory } from "./lock.ts";
import { FLAG_TOMBSTONE, KEY_LENGTH, MAX_VALUE_LENGTH, RECORD_HEADER, recordIsIntact } from "./record.ts";
import { coalesce, RecordSlab } from "./record-slab.ts";
import { planReads, type RecordAt } from "./read-runs.ts";
import { type RecoveryReport, recover } from "./recovery.ts";
import { scanSegment } from "./scan.ts";
import { createSegment, type Segment, segmentPath } from "./segment.ts";
import { SEGMENT_HEADER, TMP_SUFFIX } from "./segment-file.ts";

export type { CompactionResult } from "./compaction.ts";
export type { RecoveryReport } from "./recovery.ts";

/** Figures about an engine. */
export interface EngineStats {
  /** Live records. */
  records: number;
  /** Bytes of live records, headers included. */
  liveBytes: number;
  /** Bytes of overwritten, deleted, tombstone and damaged records. */
  deadBytes: number;
  /** Segment files. */
  segments: number;
  /** Whether a compaction is running. */
  compacting: boolean;
  /** The last compaction since the engine opened, or `null`. */
  lastCompaction: CompactionResult | null;
  /** Bytes the in-memory index takes. */
  indexBytes: number;
  /** The most bytes the in-memory index took at once since the engine opened. */
  peakIndexBytes: number;
}

/** Something that happened to an engine, for logs and for the actor. */
export type EngineEvent =
  | ({ type: "opened"; ms: number; staleLockOwner: number | undefined } & RecoveryReport)
  | ({ type: "compacted" } & CompactionResult)
  | { type: "compaction-failed"; error: Error }
  | { type: "hint-failed"; segment: number; error: Error }
  | { type: "failed"; error: StorageFailedError };

/** A durable map from 32-byte keys to values. */
export interface Engine {
  /** Stores a value; resolves once it is on disk. */
  put(key: Uint8Array, value: Uint8Array): Promise<void>;
  /** Reads a value, or `undefined` when the key is absent. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * Reads many values, records that lie close together with one read. Per
   * key, in order: its value, `undefined` when absent, or the error of a
   * record that failed its checksum.
   */
  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined | StorageFailedError)[]>;
  /** The length of the value under a key, without reading it, or `undefined` when the key is absent. */
  valueLength(key: Uint8Array): number | undefined;
  /** Removes a key; resolves to whether it was present, once the removal is on disk. */
  delete(key: Uint8Array): Promise<boolean>;
  /** Figures about the engine. */
  stats(): EngineStats;
  /** Seals the segment being written and compacts every sealed segment now. */
  compact(): Promise<CompactionResult | undefined>;
  /** Waits for pending writes, stops background work, closes the files and frees the lock. */
  close(): Promise<void>;
}

/** The defaults of the engine's thresholds, applied by {@link openEngine}. */
export const ENGINE_DEFAULTS = Object.freeze({
  segmentBytes: 64 * 1024 * 1024,
  compactDeadBytes: 64 * 1024 * 1024,
  compactDeadRatio: 0.5,
});

/** Options of {@link openEngine}. */
export interface EngineOptions {
  /** Size at which the segment being written is sealed and a new one begun, in bytes. @default 67108864 (64 MiB) */
  segmentBytes?: number;
  /** Dead bytes in sealed segments that start a compaction. @default 67108864 (64 MiB) */
  compactDeadBytes?: number;
  /** Share of the sealed segments' bytes that must also be dead to start a compaction. @default 0.5 */
  compactDeadRatio?: number;
  /** The file operations. @default NODE_FILE_SYSTEM */
  fileSystem?: FileSystem;
  /** Receives lifecycle events. @default undefined */
  onEvent?: (event: EngineEvent) => void;
}

interface WriteOp {
  readonly record: Uint8Array | undefined;
  readonly seal: boolean;
  existed: boolean;
}

type Settings = Required<Omit<EngineOptions, "onEvent">> & Pick<EngineOptions, "onEvent">;

const EMPTY = new Uint8Array(0);

/**
 * Opens (or creates) the engine in a directory.
 *
 * @param dir The data directory; created when missing.
 * @param options Segment size, compaction thresholds, file operations, events.
 * @returns The open engine.
 * @throws {StorageFailedError} When another process holds the directory or a segment cannot be read.
 * @throws {RangeError} When an option is out of range.
 */
export async function openEngine(dir: string, options: EngineOptions = {}): Promise<Engine> {
  const started = performance.now();
  const settings = {
    ...ENGINE_DEFAULTS,
    fileSystem: NODE_FILE_SYSTEM,
    ...options,
  };
  if (!Number.isSafeInteger(settings.segmentBytes) || settings.segmentBytes < 1024) {
    throw new RangeError(`Invalid option "segmentBytes": expected an integer of at least 1024, got ${settings.segmentBytes}`);
  }
  if (!(settings.compactDeadBytes >= 0)) throw new RangeError(`Invalid option "compactDeadBytes": expected 0 or more`);
  if (!(settings.compactDeadRatio >= 0 && settings.compactDeadRatio <= 1)) {
    throw new RangeError(`Invalid option "compactDeadRatio": expected a number from 0 to 1`);
  }
  const fs = settings.fileSystem;
  await fs.makeDir(dir);
  const lock = await lockDirectory(dir);
  const keydir = new Keydir();
  let recovered;
  try {
    recovered = await recover(fs, dir, keydir);
  } catch (error) {
    await Promise.all([...keydir.segments.values()].map((s) => s.close()));
    await lock.release();
    throw error;
  }
  const engine = new LogEngine(dir, settings, keydir, recovered.active, lock);
  settings.onEvent?.({
    type: "opened",
    ms: Math.round(performance.now() - started),
    staleLockOwner: lock.staleOwner,
    ...recovered.report,
  });
  for (const segment of recovered.unhinted) engine.writeHintLater(segment);
  engine.compactIfDue();
  return engine;
}

class LogEngine implements Engine {
  #dir: string;
  #settings: Settings;
  #keydir: Keydir;
  #active: Segment;
  #lock: DirectoryLock;
  #loop = new CommitLoop<WriteOp>((ops) => this.#flush(ops));
  #location: Location = { segment: 0, offset: 0, length: 0 };
  #slab = new RecordSlab();
  #failed: StorageFailedError | undefined;
  /** Operations in the last batch written. */
  #lastBatch = 0;
  #closing = false;
  #closed: Promise<void> | undefined;
  #hints: Promise<void> = Promise.resolve();
  #compaction: Promise<CompactionResult | undefined> | undefined;
  #lastCompaction: CompactionResult | null = null;
  #compactionBlockedUntil = 0;

  constructor(dir: string, settings: Settings, keydir: Keydir, active: Segment, lock: DirectoryLock) {
    this.#dir = dir;
    this.#settings = settings;
    this.#keydir = keydir;
    this.#active = active;
    this.#lock = lock;
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    checkKey(key);
    if (value.length > MAX_VALUE_LENGTH) throw new RangeError(`Invalid value: longer than ${MAX_VALUE_LENGTH} bytes`);
    this.#checkOpen();
    await this.#loop.submit({ record: this.#slab.encode(key, value), seal: false, existed: false });
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    checkKey(key);
    this.#checkOpen();
    const location = this.#location;
    if (!this.#keydir.locate(key, location)) return undefined;
    const { length } = location;
    const record = await this.#keydir.segments.get(location.segment)!.read(location.offset, length);
    const value = valueOf(record, key, length);
    if (value instanceof StorageFailedError) throw value;
    return value;
  }

  async getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined | StorageFailedError)[]> {
    for (const key of keys) checkKey(key);
    this.#checkOpen();
    const results: (Uint8Array | undefined | StorageFailedError)[] = new Array(keys.length).fill(undefined);
    const found: RecordAt[] = [];
    for (const [index, key] of keys.entries()) {
      if (this.#keydir.locate(key, this.#location)) found.push({ index, ...this.#location });
    }
    // Every read starts in this tick, as in get(), so that no segment is closed under it.
    await Promise.all(
      planReads(found).map(async (run) => {
        const bytes = await this.#keydir.segments.get(run.segment)!.read(run.offset, run.length);
        for (const { index, offset, length } of run.records) {
          const at = offset - run.offset;
          results[index] = valueOf(bytes.subarray(at, at + length), keys[index]!, length);
        }
      }),
    );
    return results;
  }

  valueLength(key: Uint8Array): number | undefined {
    checkKey(key);
    this.#checkOpen();
    return this.#keydir.locate(key, this.#location) ? this.#location.length - RECORD_HEADER - KEY_LENGTH : undefined;
  }

  async delete(key: Uint8Array): Promise<boolean> {
    checkKey(key);
    this.#checkOpen();
    // A put of this key may still be queued, so only an idle engine can answer at once.
    if (!this.#keydir.locate(key, this.#location) && !this.#loop.busy) return false;
    const op: WriteOp = { record: this.#slab.encode(key, EMPTY, FLAG_TOMBSTONE), seal: false, existed: false };
    await this.#loop.submit(op);
    return op.existed;
  }

  stats(): EngineStats {
    const { dead } = this.#keydir.deadBytes();
    return {
      records: this.#keydir.index.size,
      liveBytes: this.#keydir.liveBytes,
      deadBytes: dead,
      segments: this.#keydir.segments.size,
      compacting: this.#compaction !== undefined,
      lastCompaction: this.#lastCompaction,
      indexBytes: this.#keydir.index.bytes,
      peakIndexBytes: this.#keydir.index.peakBytes,
    };
  }

  async compact(): Promise<CompactionResult | undefined> {
    this.#checkOpen();
    await this.#compaction;
    await this.#loop.submit({ record: undefined, seal: true, existed: false });
    return this.#startCompaction();
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      await this.#loop.idle();
      await this.#compaction;
      await this.#hints;
      // Reads in progress finish before their file closes.
      await Promise.all([...this.#keydir.segments.values()].map((s) => s.retire()));
      await this.#lock.release();
    })();
    return this.#closed;
  }

  /** Starts a compaction when the sealed segments hold enough dead bytes. */
  compactIfDue(): void {
    if (this.#compaction || this.#failed || this.#closing) return;
    const { dead, total } = this.#keydir.deadBytes(this.#active);
    const { compactDeadBytes, compactDeadRatio } = this.#settings;
    if (dead < Math.max(compactDeadBytes, this.#compactionBlockedUntil) || dead < total * compactDeadRatio) return;
    void this.#startCompaction();
  }

  /**
   * Writes the hint file of a sealed segment in the background.
   *
   * @param segment The sealed segment.
   */
  writeHintLater(segment: Segment): void {
    this.#hints = this.#hints.then(() =>
      this.#writeHint(segment).catch((error) => {
        this.#settings.onEvent?.({ type: "hint-failed", segment: segment.id, error });
      }),
    );
  }

  async #flush(ops: WriteOp[]): Promise<void> {
    if (this.#failed) throw this.#failed;
    let active = this.#active;
    const sealWanted = ops.some((op) => op.seal) && active.size > SEGMENT_HEADER;
    if (active.size >= this.#settings.segmentBytes || sealWanted) active = await this.#roll();
    const records = ops.flatMap((op) => (op.record ? [op.record] : []));
    if (records.length > 0) {
      const position = active.size;
      try {
        await writeAll(active.file, coalesce(records), position);
      } catch (error) {
        throw await this.#undoWrite(active, position, error);
      }
      // A write with no other in sight (this batch and the last of one record each: one
      // writer at a time) waits for its fsync on this thread, which answers it sooner;
      // under load the fsync runs in the pool while the next batch gathers.
      const lone = ops.length === 1 && this.#lastBatch <= 1;
      this.#lastBatch = ops.length;
      try {
        await active.file.datasync(lone);
      } catch (error) {
        throw this.#fail(error);
      }
      let offset = position;
      for (const op of ops) {
        const record = op.record;
        if (!record) continue;
        const key = record.subarray(RECORD_HEADER, RECORD_HEADER + KEY_LENGTH);
        if (record[4] === FLAG_TOMBSTONE) op.existed = this.#keydir.remove(key, active.id, record.length);
        else this.#keydir.put(key, active.id, offset, record.length);
        offset += record.length;
      }
      active.size = offset;
    }
    this.compactIfDue();
  }

  // After a failed write the file is cut back to its last synced size. A full
  // disk is then only this batch's failure; anything else stops the engine.
  async #undoWrite(segment: Segment, size: number, error: unknown): Promise<StorageFailedError> {
    try {
      await segment.file.truncate(size);
      await segment.file.datasync();
    } catch (undoError) {
      return this.#fail(undoError);
    }
    if (!isDiskFull(error)) return this.#fail(error);
    return new StorageFailedError("Cannot write to the data directory: the disk or the file size limit is full", { cause: error });
  }

  async #roll(): Promise<Segment> {
    const sealed = this.#active;
    const id = sealed.id + 2;
    const path = segmentPath(this.#dir, id, "log");
    let next: Segment;
    try {
      next = await createSegment(this.#settings.fileSystem, path, id);
    } catch (error) {
      await this.#settings.fileSystem.remove(path).catch(() => {});
      if (isDiskFull(error)) {
        throw new StorageFailedError("Cannot start a segment: the disk or the file size limit is full", { cause: error });
      }
      throw this.#fail(error);
    }
    try {
      await this.#settings.fileSystem.syncDir(this.#dir);
    } catch (error) {
      await next.close();
      throw this.#fail(error);
    }
    this.#keydir.segments.set(id, next);
    this.#active = next;
    this.writeHintLater(sealed);
    return next;
  }

  async #writeHint(segment: Segment): Promise<void> {
    // Written while closing too (close waits for it, before any file closes): a segment sealed just
    // before a stop would otherwise be scanned whole at the next start.
    if (!this.#keydir.segments.has(segment.id)) return;
    const hint = new HintBuilder();
    await scanSegment(segment.file, { start: SEGMENT_HEADER, size: segment.size }, (record, offset) => {
      hint.add(record.subarray(RECORD_HEADER), record[4]!, offset, record.length);
    });
    const fs = this.#settings.fileSystem;
    const path = segmentPath(this.#dir, segment.id, "hint");
    const file = await fs.open(path + TMP_SUFFIX, "create");
    try {
      try {
        await writeAll(file, hint.encode(segment.id, segment.size), 0);
        await file.datasync();
      } finally {
        await file.close();
      }
      await fs.rename(path + TMP_SUFFIX, path);
    } catch (error) {
      await fs.remove(path + TMP_SUFFIX).catch(() => {});
      throw error;
    }
  }

  #sealedSegments(): Segment[] {
    return [...this.#keydir.segments.values()].filter((s) => s !== this.#active).sort((a, b) => a.id - b.id);
  }

  #startCompaction(): Promise<CompactionResult | undefined> {
    if (this.#compaction) return this.#compaction;
    const sealed = this.#sealedSegments();
    if (sealed.length === 0 || this.#failed || this.#closing) return Promise.resolve(undefined);
    // The output takes the id after the newest sealed segment. When that one is itself the
    // output of the last compaction (odd), the next id is the active segment's own: seal the
    // active segment first. When it holds nothing, nothing has changed since the last
    // compaction, and there is nothing to gain.
    const sealFirst = sealed.at(-1)!.id % 2 === 1;
    if (sealFirst && this.#active.size <= SEGMENT_HEADER) return Promise.resolve(undefined);
    const host = {
      fs: this.#settings.fileSystem,
      dir: this.#dir,
      keydir: this.#keydir,
      get stopping() {
        return engine.#closing;
      },
    };
    const engine = this;
    const run = (async () => {
      try {
        if (sealFirst) await this.#loop.submit({ record: undefined, seal: true, existed: false });
        // Listed before waiting for the hints of the segments in it; one sealed meanwhile waits for the next compaction.
        const sources = this.#sealedSegments();
        await this.#hints;
        const result = await compactSegments(host, sources);
        this.#lastCompaction = result;
        this.#compactionBlockedUntil = 0;
        this.#settings.onEvent?.({ type: "compacted", ...result });
        return result;
      } catch (error) {
        if (error instanceof CompactionSwitchError) throw this.#fail(error);
        // Try again only once as many dead bytes again have piled up.
        this.#compactionBlockedUntil = this.#keydir.deadBytes(this.#active).dead + this.#settings.compactDeadBytes;
        if (!this.#closing) this.#settings.onEvent?.({ type: "compaction-failed", error: error as Error });
        return undefined;
      } finally {
        this.#compaction = undefined;
      }
    })();
    this.#compaction = run;
    run.catch(() => {});
    return run;
  }

  #fail(error: unknown): StorageFailedError {
    if (!this.#failed) {
      this.#failed = new StorageFailedError("The storage engine stopped after a failed write or sync", {
        cause: error,
        retryable: false,
      });
      this.#settings.onEvent?.({ type: "failed", error: this.#failed });
    }
    return this.#failed;
  }

  #checkOpen(): void {
    if (this.#failed) throw this.#failed;
    if (this.#closing) throw new StorageFailedError("The storage engine is closed", { retryable: false });
  }
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new RangeError(`Invalid key: expected ${KEY_LENGTH} bytes`);
  }
}

// The value of a record read for a key, or the error when it is short, fails its checksum or holds another key.
function valueOf(record: Uint8Array, key: Uint8Array, length: number): Uint8Array | StorageFailedError {
  if (record.length !== length || !recordIsIntact(record) || !sameKey(record, key)) {
    return new StorageFailedError("Cannot read a record: it failed its checksum", { retryable: false });
  }
  return record.subarray(RECORD_HEADER + KEY_LENGTH);
}

function sameKey(record: Uint8Array, key: Uint8Array): boolean {
  for (let i = 0; i < KEY_LENGTH; i++) if (record[RECORD_HEADER + i] !== key[i]) return false;
  return true;
}
