/**
 * The file operations the engine uses, behind an interface so that tests can
 * inject failures (a failing fsync, a full disk, a crash after the n-th
 * write). {@link NODE_FILE_SYSTEM} implements it on `node:fs`, which Deno
 * implements too.
 *
 * @module
 */
import { fdatasyncSync, readSync, writevSync } from "node:fs";
import { mkdir, open, readdir, rename, unlink } from "node:fs/promises";

/**
 * Reads up to this size are made on the calling thread. Records just written
 * sit in the page cache, where a read takes microseconds, less than handing
 * it to the thread pool and back (which cost storage a sixth of its time
 * under load); larger reads, and the rare one that waits for the device,
 * stay off the event loop.
 */
const SYNC_READ_MAX = 64 * 1024;
/** Writes up to this size are made on the calling thread, for the same reason. */
const SYNC_WRITE_MAX = 1024 * 1024;

/** An open file, read and written at explicit positions. */
export interface FileLike {
  /**
   * Reads into `buffer` from `position`.
   *
   * @returns The bytes read; fewer than asked only at the end of the file.
   */
  read(buffer: Uint8Array, position: number): Promise<number>;
  /**
   * Writes the buffers one after another from `position` in one call.
   *
   * @returns The bytes written; fewer than asked when the file cannot grow further.
   */
  writev(buffers: readonly Uint8Array[], position: number): Promise<number>;
  /**
   * Flushes the data (and the size) to the device.
   *
   * @param inline Wait for the device on the calling thread: about 70 µs
   *   quicker than through the thread pool, but nothing else runs meanwhile.
   *   @default false
   */
  datasync(inline?: boolean): Promise<void>;
  /** Cuts or extends the file. */
  truncate(length: number): Promise<void>;
  /** The file's size in bytes. */
  size(): Promise<number>;
  /** Closes the file. */
  close(): Promise<void>;
}

/** How {@link FileSystem.open} opens a file. */
export type OpenMode =
  /** Existing file, read only. */
  | "read"
  /** Existing file, read and write. */
  | "update"
  /** New or emptied file, read and write. */
  | "create";

/** The directory and file operations of the engine. */
export interface FileSystem {
  /** Opens a file. */
  open(path: string, mode: OpenMode): Promise<FileLike>;
  /** Names in a directory. */
  list(dir: string): Promise<string[]>;
  /** Renames a file, replacing any file of the new name. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is no error. */
  remove(path: string): Promise<void>;
  /** Makes renames, creations and removals in a directory durable. */
  syncDir(dir: string): Promise<void>;
  /** Creates a directory and its parents when missing. */
  makeDir(dir: string): Promise<void>;
}

const FLAGS: Record<OpenMode, string> = { read: "r", update: "r+", create: "w+" };

/** The engine's files on `node:fs`. */
export const NODE_FILE_SYSTEM: FileSystem = {
  async open(path, mode) {
    const handle = await open(path, FLAGS[mode]);
    return {
      async read(buffer, position) {
        let total = 0;
        while (total < buffer.length) {
          const bytesRead =
            buffer.length <= SYNC_READ_MAX
              ? readSync(handle.fd, buffer, total, buffer.length - total, position + total)
              : (await handle.read(buffer, total, buffer.length - total, position + total)).bytesRead;
          if (bytesRead === 0) break;
          total += bytesRead;
        }
        return total;
      },
      async writev(buffers, position) {
        // A small write lands in the page cache, like a small read: quicker on this thread than
        // through the pool. The fsync that follows waits for the device, off the loop unless `inline`.
        const size = buffers.reduce((n, b) => n + b.length, 0);
        if (size <= SYNC_WRITE_MAX) return writevSync(handle.fd, buffers as Uint8Array[], position);
        return (await handle.writev(buffers as Uint8Array[], position)).bytesWritten;
      },
      async datasync(inline = false) {
        if (inline) fdatasyncSync(handle.fd);
        else await handle.datasync();
      },
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    };
  },
  list: (dir) => readdir(dir),
  rename: (from, to) => rename(from, to),
  async remove(path) {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  },
  async syncDir(dir) {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async makeDir(dir) {
    await mkdir(dir, { recursive: true });
  },
};

/**
 * Writes all of some buffers from a position, calling `writev` again after a
 * short write so that a full disk surfaces as its error (`ENOSPC`, `EFBIG`).
 *
 * @param file The file.
 * @param buffers What to write, in order.
 * @param position Where the first byte goes.
 */
export async function writeAll(file: FileLike, buffers: readonly Uint8Array[], position: number): Promise<void> {
  let rest = buffers.filter((b) => b.length > 0);
  while (rest.length > 0) {
    let written = await file.writev(rest, position);
    if (written <= 0) throw new Error("Cannot write to a segment: the write made no progress");
    position += written;
    while (rest.length > 0 && written >= rest[0]!.length) written -= rest.shift()!.length;
    if (written > 0) rest = [rest[0]!.subarray(written), ...rest.slice(1)];
  }
}

/**
 * Tells whether an error means the disk or the file-size limit is full.
 *
 * @param error Any error.
 * @returns True for `ENOSPC`, `EFBIG` and `EDQUOT`.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOSPC" || code === "EFBIG" || code === "EDQUOT") return true;
  // Deno's file handles give no code, only the OS message: EFBIG 27, ENOSPC 28, EDQUOT 122.
  return code === undefined && error instanceof Error && /\(os error (27|28|122)\)$/.test(error.message);
}
