/**
 * The client's side of streams: a source of any kind (a web
 * `ReadableStream`, or any async iterable of bytes) cut into chunks for the
 * wire, and a stream's chunks handed to the caller as a web `ReadableStream`
 * that pulls one chunk at a time, so that credit flows as fast as the
 * caller reads and no faster.
 *
 * @module
 */
import type { ChunkReader } from "../protocol/peer/mod.ts";
import { DEFAULT_CHUNK } from "../protocol/wire/mod.ts";

/** What `storeStream` reads: a web `ReadableStream` of bytes, or any async iterable of them. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A record's plaintext as it is read, and how many bytes it holds. */
export interface RecordStream extends ReadableStream<Uint8Array> {
  /** Bytes of plaintext the record holds. */
  readonly size: number;
}

/**
 * Reads a source as chunks of at most {@link DEFAULT_CHUNK} bytes.
 *
 * @param source The source.
 * @returns Its bytes, in order.
 * @throws {TypeError} When the source is neither kind, or yields something other than a Uint8Array.
 */
export async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  for await (const piece of iterate(source)) {
    if (!(piece instanceof Uint8Array)) throw new TypeError("Cannot store a stream piece that is not a Uint8Array");
    for (let at = 0; at < piece.length; at += DEFAULT_CHUNK) yield piece.subarray(at, at + DEFAULT_CHUNK);
  }
}

function iterate(source: ByteSource): AsyncIterable<Uint8Array> {
  if (typeof ReadableStream === "function" && source instanceof ReadableStream) return readAll(source);
  if (source && typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") return source as AsyncIterable<Uint8Array>;
  throw new TypeError("Invalid stream source: expected a ReadableStream or an async iterable of Uint8Array");
}

// A web stream read with its reader: async iteration of ReadableStream is not in every browser.
async function* readAll(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Hands a stream's chunks over as a web `ReadableStream`.
 *
 * @param chunks The chunks, as they arrive.
 * @param size Bytes of plaintext the record holds.
 * @param cancel Gives up on the rest of the stream.
 * @param onDone Called once the stream is over: read to its end, failed or cancelled.
 * @returns The stream, with its size.
 */
export function toReadable(chunks: ChunkReader, size: number, cancel: () => void, onDone: () => void): RecordStream {
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Uint8Array | undefined;
      try {
        do chunk = await chunks.read();
        while (chunk && chunk.byteLength === 0);
      } catch (error) {
        onDone();
        controller.error(error);
        return;
      }
      if (chunk) {
        controller.enqueue(chunk);
        return;
      }
      onDone();
      controller.close();
    },
    cancel() {
      onDone();
      cancel();
    },
  }, { highWaterMark: 0 });
  return Object.assign(stream, { size });
}
