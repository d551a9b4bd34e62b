/**
 * Plans the reads of many records: records of one segment that lie close
 * together are read with one read, so that a batch of records written
 * together costs one system call instead of one per record.
 *
 * @module
 */
import type { Location } from "./key-index.ts";

/** A record to read, with its place among the records asked for. */
export interface RecordAt extends Location {
  readonly index: number;
}

/** A stretch of one segment read at once, and the records in it. */
export interface ReadRun {
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
  readonly records: readonly RecordAt[];
}

/** Options of {@link planReads}. */
export interface ReadRunOptions {
  /** Most bytes between two records that are still read with them rather than apart. @default 16384 */
  maxGap?: number;
  /** Most bytes of one read, unless a single record is larger. @default 1048576 */
  maxRun?: number;
}

/**
 * Groups records into reads: per segment, in file order, each record joins
 * the read before it when the gap is small and the read stays small enough.
 *
 * @param records The records, in any order.
 * @param options Largest gap and read.
 * @returns The reads; every record is in exactly one.
 * @example Two neighbours and a far one
 * ```ts
 * import { planReads } from "./read-runs.ts";
 * const runs = planReads([
 *   { index: 0, segment: 2, offset: 16, length: 100 },
 *   { index: 1, segment: 2, offset: 116, length: 50 },
 *   { index: 2, segment: 2, offset: 900_000_000, length: 10 },
 * ]);
 * runs.length; // 2
 * ```
 */
export function planReads(records: readonly RecordAt[], options: ReadRunOptions = {}): ReadRun[] {
  const { maxGap = 16 * 1024, maxRun = 1024 * 1024 } = options;
  const sorted = [...records].sort((a, b) => a.segment - b.segment || a.offset - b.offset);
  const runs: ReadRun[] = [];
  let current: { segment: number; offset: number; end: number; records: RecordAt[] } | undefined;
  for (const record of sorted) {
    const end = record.offset + record.length;
    if (
      current &&
      current.segment === record.segment &&
      record.offset - current.end <= maxGap &&
      Math.max(end, current.end) - current.offset <= maxRun
    ) {
      current.end = Math.max(end, current.end);
      current.records.push(record);
      continue;
    }
    if (current) runs.push(toRun(current));
    current = { segment: record.segment, offset: record.offset, end, records: [record] };
  }
  if (current) runs.push(toRun(current));
  return runs;
}

function toRun(run: { segment: number; offset: number; end: number; records: RecordAt[] }): ReadRun {
  return { segment: run.segment, offset: run.offset, length: run.end - run.offset, records: run.records };
}
