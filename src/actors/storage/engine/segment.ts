/**
 * One open segment file: its size, how many of its bytes are dead, and the
 * reads in progress, so that a segment replaced by compaction is closed only
 * after the reads that started before the swap have finished.
 *
 * @module
 */
import { join } from "node:path";
import { type FileLike, type FileSystem, writeAll } from "./file-system.ts";
import { encodeSegmentHeader, segmentFileName } from "./segment-file.ts";

/** An open segment of the data directory. */
export class Segment {
  /** The segment id. */
  readonly id: number;
  /** The open file. */
  readonly file: FileLike;
  /** Bytes in the file, header included. */
  size: number;
  /** Bytes of records that are overwritten, deleted, tombstones or damaged. */
  dead = 0;
  #readers = 0;
  #retired = false;
  #closed: Promise<void> | undefined;
  #whenClosed: (() => void)[] = [];

  /**
   * @param id The segment id.
   * @param file The open file.
   * @param size Its size in bytes.
   */
  constructor(id: number, file: FileLike, size: number) {
    this.id = id;
    this.file = file;
    this.size = size;
  }

  /**
   * Reads bytes of the segment.
   *
   * @param position Where to start.
   * @param length How many bytes.
   * @returns The bytes; shorter only if the file is.
   */
  async read(position: number, length: number): Promise<Uint8Array> {
    this.#readers++;
    try {
      const out = new Uint8Array(length);
      return out.subarray(0, await this.file.read(out, position));
    } finally {
      this.#readers--;
      if (this.#retired && this.#readers === 0) void this.close();
    }
  }

  /**
   * Closes the file once no read is in progress.
   *
   * @returns Resolves once the file is closed.
   */
  retire(): Promise<void> {
    this.#retired = true;
    if (this.#readers === 0) return this.close();
    return new Promise((resolve) => this.#whenClosed.push(resolve));
  }

  /** Closes the file; errors are ignored, as nothing waits on this file any more. */
  close(): Promise<void> {
    this.#closed ??= this.file
      .close()
      .catch(() => {})
      .then(() => {
        for (const resolve of this.#whenClosed.splice(0)) resolve();
      });
    return this.#closed;
  }
}

/**
 * The path of a segment's file or hint.
 *
 * @param dir The data directory.
 * @param id The segment id.
 * @param kind Which file.
 * @returns The path.
 */
export function segmentPath(dir: string, id: number, kind: "log" | "hint"): string {
  return join(dir, segmentFileName(id, kind));
}

/**
 * Creates a segment file with its header and syncs it. The caller syncs the
 * directory before relying on the new name.
 *
 * @param fs The file operations.
 * @param path Where to create it.
 * @param id The segment id.
 * @returns The open, empty segment.
 */
export async function createSegment(fs: FileSystem, path: string, id: number): Promise<Segment> {
  const file = await fs.open(path, "create");
  try {
    const header = encodeSegmentHeader(id);
    await writeAll(file, [header], 0);
    await file.datasync();
    return new Segment(id, file, header.length);
  } catch (error) {
    await file.close().catch(() => {});
    throw error;
  }
}
