/**
 * A log-structured key-value engine: one append-only segment file, an
 * in-memory index rebuilt by scanning it at start, and an fsync before any
 * write is reported done.
 *
 * @module
 */
import { mkdir, open as openFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { decodeHeader, encodeRecord, FLAG_TOMBSTONE, RECORD_HEADER, recordIsIntact } from "./record.ts";

/** Figures about an engine. */
export interface EngineStats {
  /** Live records. */
  records: number;
  /** Bytes of live records, headers included. */
  liveBytes: number;
  /** Bytes of overwritten, deleted and tombstone records. */
  deadBytes: number;
  /** Segment files. */
  segments: number;
}

/** A durable map from keys to values. */
export interface Engine {
  /** Stores a value; resolves once it is on disk. */
  put(key: Uint8Array, value: Uint8Array): Promise<void>;
  /** Reads a value, or `undefined` when the key is absent. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Removes a key; resolves to whether it was present, once the removal is on disk. */
  delete(key: Uint8Array): Promise<boolean>;
  /** Figures about the engine. */
  stats(): EngineStats;
  /** Waits for pending writes and closes the files. */
  close(): Promise<void>;
}

/** Options of {@link openEngine}. */
export interface EngineOptions {
  /** Called once with what recovery found at open. @default undefined */
  onRecovery?: (report: { records: number; truncatedBytes: number }) => void;
}

interface Location {
  offset: number;
  length: number;
}

const SEGMENT_NAME = "segment-000001.log";
const SEGMENT_MAGIC = new TextEncoder().encode("SRSEG\0\0\x01");

/**
 * Opens (or creates) the engine in a directory.
 *
 * @param dir The data directory; created when missing.
 * @param options Callbacks.
 * @returns The open engine.
 * @throws {Error} When the directory or segment cannot be opened, or the segment has a foreign header.
 */
export async function openEngine(dir: string, options: EngineOptions = {}): Promise<Engine> {
  await mkdir(dir, { recursive: true });
  const file: FileHandle = await openFile(join(dir, SEGMENT_NAME), "a+");
  const index = new Map<string, Location>();
  let size = (await file.stat()).size;
  let deadBytes = 0;
  let liveBytes = 0;

  if (size === 0) {
    await file.write(SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
    await file.datasync();
    size = SEGMENT_MAGIC.length;
  } else {
    const bytes = await file.readFile();
    if (bytes.length < SEGMENT_MAGIC.length || !SEGMENT_MAGIC.every((b, i) => bytes[i] === b)) {
      await file.close();
      throw new Error(`Cannot open segment "${SEGMENT_NAME}": not a strongroom segment`);
    }
    let offset = SEGMENT_MAGIC.length;
    while (offset + RECORD_HEADER <= bytes.length) {
      const header = decodeHeader(bytes.subarray(offset));
      const length = RECORD_HEADER + header.keyLength + header.valueLength;
      if (offset + length > bytes.length || !recordIsIntact(bytes.subarray(offset, offset + length))) break;
      const key = keyOf(bytes.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + header.keyLength));
      const previous = index.get(key);
      if (previous) {
        deadBytes += previous.length;
        liveBytes -= previous.length;
      }
      if (header.flags & FLAG_TOMBSTONE) {
        index.delete(key);
        deadBytes += length;
      } else {
        index.set(key, { offset, length });
        liveBytes += length;
      }
      offset += length;
    }
    // A torn or corrupt tail is cut off so that new records follow the last good one.
    const truncatedBytes = bytes.length - offset;
    if (truncatedBytes > 0) {
      await file.truncate(offset);
      await file.datasync();
    }
    size = offset;
    options.onRecovery?.({ records: index.size, truncatedBytes });
  }

  let queue: Promise<unknown> = Promise.resolve();
  function append(record: Uint8Array): Promise<number> {
    const result = queue.then(async () => {
      const offset = size;
      await file.write(record, 0, record.length, offset);
      size += record.length;
      await file.datasync();
      return offset;
    });
    queue = result.catch(() => {});
    return result;
  }

  return {
    async put(key, value) {
      const record = encodeRecord(key, value);
      const offset = await append(record);
      const name = keyOf(key);
      const previous = index.get(name);
      if (previous) {
        deadBytes += previous.length;
        liveBytes -= previous.length;
      }
      index.set(name, { offset, length: record.length });
      liveBytes += record.length;
    },
    async get(key) {
      const location = index.get(keyOf(key));
      if (!location) return undefined;
      const record = new Uint8Array(location.length);
      await file.read(record, 0, location.length, location.offset);
      if (!recordIsIntact(record)) throw new Error("Record failed its checksum on read");
      const header = decodeHeader(record);
      return record.subarray(RECORD_HEADER + header.keyLength);
    },
    async delete(key) {
      const name = keyOf(key);
      if (!index.has(name)) return false;
      const record = encodeRecord(key, new Uint8Array(), FLAG_TOMBSTONE);
      await append(record);
      const previous = index.get(name);
      if (!previous) return false;
      index.delete(name);
      deadBytes += previous.length + record.length;
      liveBytes -= previous.length;
      return true;
    },
    stats() {
      return { records: index.size, liveBytes, deadBytes, segments: 1 };
    },
    async close() {
      await queue;
      await file.close();
    },
  };
}

function keyOf(key: Uint8Array): string {
  let out = "";
  for (let i = 0; i < key.length; i++) out += String.fromCharCode(key[i]!);
  return out;
}
