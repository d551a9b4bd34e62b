/**
 * The two ends of a stream of chunks on one connection, with flow control
 * by credit: a {@link ChunkReader} grants the sender a window of chunks and
 * grants more as its reader takes them, so that nothing buffers past one
 * window however slow the reader; a {@link ChunkWriter} sends a chunk only
 * against credit, so that a fast writer waits for a slow reader.
 *
 * Both are plain state: the connection feeds them what arrives and gives
 * them functions that send.
 *
 * @module
 */
import { BadRequestError, DEFAULT_STREAM_WINDOW, type StrongroomError } from "../wire/mod.ts";

/** What a reader sends: credit for more chunks. */
export type GrantCredit = (n: number) => void;

interface Waiter {
  resolve(chunk: Uint8Array | undefined): void;
  reject(error: Error): void;
}

/**
 * Chunks coming in, read in order; credit for more goes out as they are
 * read. Also an async iterable.
 *
 * @example Reading every chunk
 * ```ts
 * import { ChunkReader } from "./stream.ts";
 * const reader = new ChunkReader((n) => console.log("credit", n));
 * reader.grantWindow();
 * reader.push(0, new Uint8Array([1]), true);
 * for await (const chunk of reader) console.log(chunk);
 * ```
 */
export class ChunkReader implements AsyncIterable<Uint8Array> {
  #grant: GrantCredit;
  #window: number;
  #queue: Uint8Array[] = [];
  #head = 0;
  // Chunks granted and not yet arrived, and chunks read since the last grant.
  #outstanding = 0;
  #granted = false;
  #unacknowledged = 0;
  #next = 0;
  #ended = false;
  #error: Error | undefined;
  #waiter: Waiter | undefined;
  #bytes = 0;

  /**
   * @param grant Sends credit to the writer.
   * @param window Chunks the writer may have in flight. @default DEFAULT_STREAM_WINDOW
   */
  constructor(grant: GrantCredit, window: number = DEFAULT_STREAM_WINDOW) {
    this.#grant = grant;
    this.#window = window;
  }

  /** Grants the writer its first window; later credit goes out as chunks are read. Only the first call counts. */
  grantWindow(): void {
    if (this.#granted) return;
    this.#granted = true;
    this.#outstanding = this.#window;
    this.#grant(this.#window);
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether the last chunk arrived, or the stream failed. */
  get done(): boolean {
    return this.#ended || this.#error !== undefined;
  }

  /**
   * Takes one chunk as it arrived.
   *
   * @param seq Its place in the stream.
   * @param chunk Its bytes.
   * @param end Whether it is the last.
   * @throws {BadRequestError} When it is out of order or past the credit granted; the reader then
   *   fails with that error too, and the caller should end the stream.
   */
  push(seq: number, chunk: Uint8Array, end: boolean): void {
    if (this.done) return;
    if (seq !== this.#next) throw this.#violation(`Chunk ${seq} of a stream arrived where chunk ${this.#next} was due`);
    if (this.#outstanding <= 0) throw this.#violation(`Chunk ${seq} of a stream arrived past the credit granted`);
    this.#next++;
    this.#outstanding--;
    if (end) this.#ended = true;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      this.#taken(chunk);
      waiter.resolve(chunk);
    } else {
      this.#queue.push(chunk);
    }
  }

  /**
   * Fails the stream: a reader waiting, and every later read, get the error.
   *
   * @param error Why.
   */
  fail(error: Error): void {
    if (this.done) return;
    this.#error = error;
    this.#queue = [];
    this.#head = 0;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  /**
   * The next chunk, or `undefined` once the last was read.
   *
   * @returns The chunk.
   * @throws {Error} The error the stream failed with.
   */
  read(): Promise<Uint8Array | undefined> {
    if (this.#head < this.#queue.length) {
      const chunk = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      this.#taken(chunk);
      return Promise.resolve(chunk);
    }
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(undefined);
    if (this.#waiter) return Promise.reject(new TypeError("Cannot read a stream twice at once"));
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** Iterates the chunks, leaving out empty ones (an empty stream ends with one). */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) if (chunk.byteLength > 0) yield chunk;
  }

  /** Ends the stream with no chunk more: for an answer that turned out not to be a stream. */
  close(): void {
    if (this.done) return;
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(undefined);
  }

  // A chunk read frees its place in the window: credit goes back in batches of half a window.
  #taken(chunk: Uint8Array): void {
    this.#bytes += chunk.byteLength;
    if (this.#ended) return;
    this.#unacknowledged++;
    if (this.#unacknowledged >= Math.max(1, this.#window >> 1)) {
      const n = this.#unacknowledged;
      this.#unacknowledged = 0;
      this.#outstanding += n;
      this.#grant(n);
    }
  }

  #violation(message: string): StrongroomError {
    const error = new BadRequestError(message);
    this.fail(error);
    return error;
  }
}

/** What a writer sends: one chunk. */
export type SendChunk = (seq: number, chunk: Uint8Array, end: boolean) => void;

/**
 * Chunks going out, each sent only against credit the reader granted.
 *
 * @example Writing a chunk once credit came
 * ```ts
 * import { ChunkWriter } from "./stream.ts";
 * const writer = new ChunkWriter((seq, chunk, end) => console.log(seq, chunk.length, end));
 * writer.credit(1);
 * await writer.write(new Uint8Array(10), true);
 * ```
 */
export class ChunkWriter {
  #send: SendChunk;
  #credit = 0;
  #seq = 0;
  #ended = false;
  #error: Error | undefined;
  #waiting: { resolve(): void; reject(error: Error): void } | undefined;
  #bytes = 0;

  /** @param send Sends one chunk. */
  constructor(send: SendChunk) {
    this.#send = send;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Chunks the reader granted and that were not sent yet. */
  get available(): number {
    return this.#credit;
  }

  /**
   * Adds credit the reader granted.
   *
   * @param n More chunks it may take.
   */
  credit(n: number): void {
    this.#credit += n;
    const waiting = this.#waiting;
    if (waiting && this.#credit > 0) {
      this.#waiting = undefined;
      waiting.resolve();
    }
  }

  /**
   * Sends one chunk once there is credit for it.
   *
   * @param chunk The bytes.
   * @param end Whether it is the last. @default false
   * @throws {Error} The error the stream failed with, before or while waiting.
   */
  async write(chunk: Uint8Array, end = false): Promise<void> {
    if (this.#ended) throw new TypeError("Cannot write to a stream after its last chunk");
    while (this.#credit <= 0) {
      if (this.#error) throw this.#error;
      await new Promise<void>((resolve, reject) => (this.#waiting = { resolve, reject }));
    }
    if (this.#error) throw this.#error;
    this.#credit--;
    this.#bytes += chunk.byteLength;
    if (end) this.#ended = true;
    this.#send(this.#seq++, chunk, end);
  }

  /**
   * Fails the stream: a write waiting for credit, and every later write, get the error.
   *
   * @param error Why.
   */
  fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }
}
