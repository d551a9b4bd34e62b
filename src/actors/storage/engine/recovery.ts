/**
 * Start-up: tidy the data directory after whatever interrupted the last
 * run, then rebuild the keydir from the hints of sealed segments and by
 * scanning the rest, cutting a torn or damaged tail off the newest segment.
 *
 * @module
 */
import { join } from "node:path";
import { StorageFailedError } from "../../../protocol/wire/mod.ts";
import { type FileLike, type FileSystem, writeAll } from "./file-system.ts";
import { hintEntryCount, readHint } from "./hint.ts";
import type { Keydir } from "./keydir.ts";
import { FLAG_TOMBSTONE, KEY_LENGTH, RECORD_HEADER } from "./record.ts";
import { scanSegment } from "./scan.ts";
import { createSegment, Segment, segmentPath } from "./segment.ts";
import {
  encodeSegmentHeader,
  isCompacted,
  parseSegmentFileName,
  SEGMENT_HEADER,
  segmentFileName,
  segmentHeaderProblem,
  TMP_SUFFIX,
} from "./segment-file.ts";

/** What recovery found and did. */
export interface RecoveryReport {
  /** Live records after recovery. */
  records: number;
  /** Segment files. */
  segments: number;
  /** Segments read through their hint file. */
  hintedSegments: number;
  /** Bytes cut off the end of the newest segment. */
  truncatedBytes: number;
  /** Runs of damaged bytes skipped inside segments, with intact records after them. */
  damagedRuns: number;
  /** Bytes in those runs, and in damaged tails of older segments. */
  damagedBytes: number;
  /** Files removed: unfinished writes and segments that a finished compaction replaced. */
  removedFiles: number;
}

/** The recovered state. */
export interface Recovered {
  /** The segment new records go to. */
  readonly active: Segment;
  /** Sealed segments that have no valid hint file. */
  readonly unhinted: Segment[];
  readonly report: RecoveryReport;
}

/**
 * Opens the segments of a locked data directory into an empty keydir.
 *
 * @param fs The file operations.
 * @param dir The data directory.
 * @param keydir Filled with the segments and live records.
 * @returns The active segment, the segments to write hints for, and a report.
 * @throws {StorageFailedError} When a segment is not one this engine can read.
 */
export async function recover(fs: FileSystem, dir: string, keydir: Keydir): Promise<Recovered> {
  const report: RecoveryReport = {
    records: 0,
    segments: 0,
    hintedSegments: 0,
    truncatedBytes: 0,
    damagedRuns: 0,
    damagedBytes: 0,
    removedFiles: 0,
  };
  const { ids, hinted } = await tidy(fs, dir, report);
  const unhinted: Segment[] = [];
  const newest = ids.at(-1);
  // Hints first: their sizes tell how large the index will be, so it is sized once.
  const hints = new Map<number, Uint8Array>();
  for (const id of ids) {
    const bytes = id !== newest && hinted.has(id) ? await readWhole(fs, segmentPath(dir, id, "hint")) : undefined;
    if (bytes) hints.set(id, bytes);
  }
  keydir.index.reserve([...hints.values()].reduce((sum, bytes) => sum + hintEntryCount(bytes), 0));

  for (const id of ids) {
    const isNewest = id === newest;
    const file = await fs.open(segmentPath(dir, id, "log"), isNewest ? "update" : "read");
    try {
      const segment = new Segment(id, file, await headerChecked(file, id, isNewest));
      keydir.segments.set(id, segment);
      if (loadHint(hints.get(id), segment, keydir)) {
        report.hintedSegments++;
        continue;
      }
      const scan = await scanSegment(file, { start: SEGMENT_HEADER, size: segment.size }, (record, offset) => {
        const key = record.subarray(RECORD_HEADER, RECORD_HEADER + KEY_LENGTH);
        if (record[4] === FLAG_TOMBSTONE) keydir.remove(key, id, record.length);
        else keydir.put(key, id, offset, record.length);
      });
      report.damagedRuns += scan.damagedRuns;
      report.damagedBytes += scan.damagedBytes;
      segment.dead += scan.damagedBytes;
      if (isNewest && scan.tailBytes > 0) {
        await file.truncate(scan.end);
        await file.datasync();
        segment.size = scan.end;
        report.truncatedBytes += scan.tailBytes;
      } else if (scan.tailBytes > 0) {
        report.damagedBytes += scan.tailBytes;
        segment.dead += scan.tailBytes;
      }
      if (!isNewest) unhinted.push(segment);
    } catch (error) {
      await file.close().catch(() => {});
      throw error;
    }
  }

  let active = newest === undefined ? undefined : keydir.segments.get(newest);
  if (!active || isCompacted(active.id)) {
    const id = (newest ?? 0) + (isCompacted(newest ?? 0) ? 1 : 2);
    active = await createSegment(fs, segmentPath(dir, id, "log"), id);
    keydir.segments.set(id, active);
    await fs.syncDir(dir);
  }
  report.records = keydir.index.size;
  report.segments = keydir.segments.size;
  return { active, unhinted, report };
}

// Removes unfinished files and the segments a finished compaction replaced;
// returns the ids of the segments left, oldest first, and those with a hint.
async function tidy(fs: FileSystem, dir: string, report: RecoveryReport): Promise<{ ids: number[]; hinted: Set<number> }> {
  const names = await fs.list(dir);
  const logs = new Set<number>();
  const hints = new Set<number>();
  const remove = async (name: string) => {
    await fs.remove(join(dir, name));
    report.removedFiles++;
  };
  for (const name of names) {
    if (name.endsWith(TMP_SUFFIX)) await remove(name);
    const parsed = parseSegmentFileName(name);
    if (parsed) (parsed.kind === "log" ? logs : hints).add(parsed.id);
  }
  // A compacted segment appears under its name only once complete and synced,
  // so everything older than the newest one is already copied into it.
  const compacted = Math.max(0, ...[...logs].filter(isCompacted));
  for (const id of [...logs]) {
    if (id < compacted) {
      await remove(segmentFileName(id, "log"));
      logs.delete(id);
    }
  }
  for (const id of hints) {
    if (!logs.has(id)) {
      await remove(segmentFileName(id, "hint"));
      hints.delete(id);
    }
  }
  if (report.removedFiles > 0) await fs.syncDir(dir);
  return { ids: [...logs].sort((a, b) => a - b), hinted: hints };
}

// Returns the size of a segment whose header checks out. A newest segment
// whose creation was interrupted (a partial header) is given its header again.
async function headerChecked(file: FileLike, id: number, isNewest: boolean): Promise<number> {
  const size = await file.size();
  const header = new Uint8Array(SEGMENT_HEADER);
  const got = await file.read(header, 0);
  const problem = segmentHeaderProblem(header.subarray(0, got), id);
  if (problem === undefined) return size;
  const expected = encodeSegmentHeader(id);
  if (isNewest && size < SEGMENT_HEADER && header.subarray(0, got).every((b, i) => b === expected[i])) {
    await file.truncate(0);
    await writeAll(file, [expected], 0);
    await file.datasync();
    return SEGMENT_HEADER;
  }
  throw new StorageFailedError(`Cannot open segment "${segmentFileName(id, "log")}": ${problem}`, { retryable: false });
}

async function readWhole(fs: FileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    const file = await fs.open(path, "read");
    try {
      const bytes = new Uint8Array(await file.size());
      return bytes.subarray(0, await file.read(bytes, 0));
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

function loadHint(bytes: Uint8Array | undefined, segment: Segment, keydir: Keydir): boolean {
  if (!bytes) return false;
  return readHint(bytes, segment.id, segment.size, (keys, keyAt, flags, offset, length) => {
    if (flags === FLAG_TOMBSTONE) keydir.remove(keys, segment.id, length, keyAt);
    else keydir.put(keys, segment.id, offset, length, keyAt);
  });
}
