/**
 * Compaction: copies the live records of the sealed segments into one new
 * segment while reads and writes go on, then swaps it in.
 *
 * Every step is safe to interrupt:
 * 1. write `segment-<M+1>.log.tmp` and its hint `segment-<M+1>.hint.tmp`, sync both
 *    (M is the newest segment replaced, always one of the log's even ids, so that
 *    M+1 is free; an interrupted run leaves `.tmp` files, removed at start);
 * 2. rename the hint, then the segment, to their final names and sync the
 *    directory (from here, start-up sees a complete compacted segment and
 *    removes every segment below it; before, it sees the old segments);
 * 3. point the keydir at the new segment;
 * 4. remove the replaced files and sync the directory (leftovers are removed
 *    at start, by the rule of step 2).
 *
 * @module
 */
import type { FileSystem } from "./file-system.ts";
import { writeAll } from "./file-system.ts";
import { HintBuilder } from "./hint.ts";
import type { Location } from "./key-index.ts";
import type { Keydir } from "./keydir.ts";
import { FLAG_TOMBSTONE, KEY_LENGTH, RECORD_HEADER } from "./record.ts";
import { scanSegment } from "./scan.ts";
import { createSegment, type Segment, segmentPath } from "./segment.ts";
import { SEGMENT_HEADER, TMP_SUFFIX } from "./segment-file.ts";

/** What one compaction did. */
export interface CompactionResult {
  /** When it finished, as an ISO 8601 time. */
  at: string;
  /** How long it took, in ms. */
  ms: number;
  /** Segments replaced. */
  replacedSegments: number;
  /** Live records copied. */
  copiedRecords: number;
  /** Live records that failed their checksum and could not be copied. */
  lostRecords: number;
  /** Bytes freed on disk. */
  reclaimedBytes: number;
}

/** What compaction needs from the engine. */
export interface CompactionHost {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly keydir: Keydir;
  /** True once the engine is closing: compaction gives up. */
  readonly stopping: boolean;
}

/** A failure while switching files (step 2): the engine must stop; start-up recovers. */
export class CompactionSwitchError extends Error {
  constructor(options: ErrorOptions) {
    super("Cannot switch to the compacted segment", options);
    this.name = "CompactionSwitchError";
  }
}

const WRITE_CHUNK = 1024 * 1024;

/**
 * Compacts sealed segments into one.
 *
 * @param host The engine's files and keydir.
 * @param sources The sealed segments, oldest first; none may be written to.
 * @returns What was done.
 * @throws {CompactionSwitchError} When a rename or the directory sync fails.
 * @throws {Error} Any other failure, after removing the unfinished files.
 */
export async function compactSegments(host: CompactionHost, sources: readonly Segment[]): Promise<CompactionResult> {
  const started = performance.now();
  const { fs, dir, keydir } = host;
  const id = sources.at(-1)!.id + 1;
  if (keydir.segments.has(id)) throw new Error(`Cannot compact into segment ${id}: it exists`);
  const logPath = segmentPath(dir, id, "log");
  const hintPath = segmentPath(dir, id, "hint");
  const output = await createSegment(fs, logPath + TMP_SUFFIX, id).catch(async (error: unknown) => {
    await fs.remove(logPath + TMP_SUFFIX).catch(() => {});
    throw error;
  });
  const hint = new HintBuilder();
  const location: Location = { segment: 0, offset: 0, length: 0 };
  try {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      await writeAll(output.file, pending, output.size);
      output.size += pendingBytes;
      pending = [];
      pendingBytes = 0;
    };
    for (const source of sources) {
      await scanSegment(source.file, { start: SEGMENT_HEADER, size: source.size }, (record, offset) => {
        if (host.stopping) throw new Error("Compaction stopped: the engine is closing");
        if (record[4] === FLAG_TOMBSTONE) return;
        const key = record.subarray(RECORD_HEADER, RECORD_HEADER + KEY_LENGTH);
        if (!keydir.locate(key, location) || location.segment !== source.id || location.offset !== offset) return;
        hint.add(key, 0, output.size + pendingBytes, record.length);
        pending.push(record.slice());
        pendingBytes += record.length;
        return pendingBytes >= WRITE_CHUNK ? flush() : undefined;
      });
    }
    await flush();
    await output.file.datasync();
    const hintFile = await fs.open(hintPath + TMP_SUFFIX, "create");
    try {
      await writeAll(hintFile, hint.encode(id, output.size), 0);
      await hintFile.datasync();
    } finally {
      await hintFile.close();
    }
    if (host.stopping) throw new Error("Compaction stopped: the engine is closing");
  } catch (error) {
    await output.close();
    await fs.remove(logPath + TMP_SUFFIX).catch(() => {});
    await fs.remove(hintPath + TMP_SUFFIX).catch(() => {});
    throw error;
  }

  try {
    await fs.rename(hintPath + TMP_SUFFIX, hintPath);
    await fs.rename(logPath + TMP_SUFFIX, logPath);
    await fs.syncDir(dir);
  } catch (error) {
    await output.close();
    throw new CompactionSwitchError({ cause: error });
  }

  const replaced = new Set(sources.map((s) => s.id));
  let live = 0;
  const moved: Location = { segment: id, offset: 0, length: 0 };
  hint.forEach((keys, keyAt, _flags, offset, length) => {
    if (keydir.locate(keys, location, keyAt) && replaced.has(location.segment)) {
      moved.offset = offset;
      moved.length = length;
      keydir.index.set(keys, moved, undefined, keyAt);
      live += length;
    }
  });
  // Whatever still points at a replaced segment failed its checksum during the copy.
  const lost = keydir.index.keysIn(replaced);
  for (const key of lost) keydir.forget(key);
  output.dead = output.size - SEGMENT_HEADER - live;
  keydir.segments.set(id, output);
  let reclaimedBytes = -output.size;
  for (const source of sources) {
    keydir.segments.delete(source.id);
    reclaimedBytes += source.size;
    void source.retire();
  }

  try {
    for (const source of sources) {
      await fs.remove(segmentPath(dir, source.id, "log"));
      await fs.remove(segmentPath(dir, source.id, "hint"));
    }
    await fs.syncDir(dir);
  } catch {
    // The swap is complete: start-up removes the files left below the compacted segment.
  }
  return {
    at: new Date().toISOString(),
    ms: Math.round(performance.now() - started),
    replacedSegments: sources.length,
    copiedRecords: hint.count,
    lostRecords: lost.length,
    reclaimedBytes,
  };
}
