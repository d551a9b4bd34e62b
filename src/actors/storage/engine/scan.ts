/**
 * Reads the records of a segment file in order, in large chunks, checking
 * each CRC. Damaged bytes are skipped by looking at every following offset
 * for the next plausible header whose record passes its CRC, so that good
 * records after a damaged one are kept.
 *
 * @module
 */
import type { FileLike } from "./file-system.ts";
import { plausibleLength, RECORD_HEADER, recordIsIntact } from "./record.ts";

/** What a scan found. */
export interface ScanReport {
  /** Intact records. */
  records: number;
  /** Runs of damaged bytes followed by an intact record. */
  damagedRuns: number;
  /** Bytes in those runs. */
  damagedBytes: number;
  /** Offset just past the last intact record. */
  end: number;
  /** Bytes after the last intact record (a torn or damaged tail). */
  tailBytes: number;
}

/**
 * Called per intact record. `record` is valid only during the call; a
 * returned promise is awaited before the scan goes on.
 */
export type RecordVisitor = (record: Uint8Array, offset: number) => void | Promise<void>;

const CHUNK = 4 * 1024 * 1024;

/**
 * Scans a segment from `start` to `size`.
 *
 * @param file The open segment.
 * @param range Where the records start and where the file ends.
 * @param visit Called per intact record.
 * @returns Counts and where the intact records end.
 */
export async function scanSegment(
  file: FileLike,
  range: { start: number; size: number },
  visit: RecordVisitor,
): Promise<ScanReport> {
  const { start, size } = range;
  let buffer = new Uint8Array(Math.min(CHUNK, Math.max(size - start, RECORD_HEADER)));
  let bufferStart = start;
  let bufferEnd = start;
  const report: ScanReport = { records: 0, damagedRuns: 0, damagedBytes: 0, end: start, tailBytes: 0 };

  // Makes [position, position + length) readable in `buffer`; false past the end of the file.
  const ensure = async (position: number, length: number): Promise<boolean> => {
    if (position + length > size) return false;
    if (position >= bufferStart && position + length <= bufferEnd) return true;
    if (length > buffer.length) buffer = new Uint8Array(length);
    const want = Math.min(buffer.length, size - position);
    const got = await file.read(buffer.subarray(0, want), position);
    bufferStart = position;
    bufferEnd = position + got;
    return got >= length;
  };

  let position = start;
  let damagedSince = -1;
  while (await ensure(position, RECORD_HEADER)) {
    const at = position - bufferStart;
    const length = plausibleLength(buffer, at, size - position);
    if (length > 0 && (await ensure(position, length))) {
      const record = buffer.subarray(position - bufferStart, position - bufferStart + length);
      if (recordIsIntact(record)) {
        if (damagedSince >= 0) {
          report.damagedRuns++;
          report.damagedBytes += position - damagedSince;
          damagedSince = -1;
        }
        const pending = visit(record, position);
        if (pending) await pending;
        report.records++;
        position += length;
        report.end = position;
        continue;
      }
    }
    if (damagedSince < 0) damagedSince = position;
    position++;
  }
  report.tailBytes = size - report.end;
  return report;
}
