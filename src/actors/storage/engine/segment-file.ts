/**
 * Names and header of the files in a data directory.
 *
 * - `segment-<id>.log`: records; starts with a 16-byte header
 *   `"SRSEG" | version(1) | 0(2) | id(4) | crc32 of the 12 bytes before(4)`.
 *   Segments written by the commit log take even ids; a compacted segment
 *   takes the odd id just above the last segment it replaces, so it sorts
 *   before every segment written after its compaction began.
 * - `segment-<id>.hint`: the record index of a sealed segment (`hint.ts`).
 * - `*.tmp`: a file being written; removed at start.
 * - `LOCK`: who holds the directory (`lock.ts`).
 *
 * @module
 */
import { crc32 } from "./crc32.ts";
import { readUint32, writeUint32 } from "./record.ts";

/** Bytes of a segment header. */
export const SEGMENT_HEADER = 16;
/** Version of the segment and hint formats. */
export const FORMAT_VERSION = 2;
/** Suffix of files being written. */
export const TMP_SUFFIX = ".tmp";

const MAGIC = [0x53, 0x52, 0x53, 0x45, 0x47]; // "SRSEG"
const NAME = /^segment-(\d{10})\.(log|hint)$/;

/** A file of the data directory, by its name. */
export interface SegmentName {
  readonly id: number;
  readonly kind: "log" | "hint";
}

/**
 * The file name of a segment or of its hint.
 *
 * @param id The segment id.
 * @param kind Which of the two files.
 * @returns The name, without directory.
 */
export function segmentFileName(id: number, kind: "log" | "hint"): string {
  return `segment-${String(id).padStart(10, "0")}.${kind}`;
}

/**
 * Parses a file name of the data directory.
 *
 * @param name A name from the directory listing.
 * @returns The id and kind, or `undefined` for other files.
 */
export function parseSegmentFileName(name: string): SegmentName | undefined {
  const match = NAME.exec(name);
  return match ? { id: Number(match[1]), kind: match[2] as "log" | "hint" } : undefined;
}

/**
 * Tells a compacted segment by its id.
 *
 * @param id The segment id.
 * @returns Whether compaction wrote it.
 */
export function isCompacted(id: number): boolean {
  return id % 2 === 1;
}

/**
 * Encodes the header of a segment.
 *
 * @param id The segment id.
 * @returns {@link SEGMENT_HEADER} bytes.
 */
export function encodeSegmentHeader(id: number): Uint8Array {
  const out = new Uint8Array(SEGMENT_HEADER);
  out.set(MAGIC);
  out[5] = FORMAT_VERSION;
  writeUint32(out, 8, id);
  writeUint32(out, 12, crc32(out.subarray(0, 12)));
  return out;
}

/**
 * Checks the header of a segment.
 *
 * @param bytes The first bytes of the file.
 * @param id The id its name gives.
 * @returns Why it is not a header of this segment, or `undefined` when it is.
 */
export function segmentHeaderProblem(bytes: Uint8Array, id: number): string | undefined {
  if (bytes.length < SEGMENT_HEADER || MAGIC.some((b, i) => bytes[i] !== b)) return "not a strongroom segment";
  if (readUint32(bytes, 12) !== crc32(bytes.subarray(0, 12))) return "damaged segment header";
  if (bytes[5] !== FORMAT_VERSION) return `format version ${bytes[5]}, expected ${FORMAT_VERSION}`;
  if (readUint32(bytes, 8) !== id) return "segment id differs from its file name";
  return undefined;
}
