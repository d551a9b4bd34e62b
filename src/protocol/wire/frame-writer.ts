/**
 * Packs messages into frames: each message is appended to the frame being
 * built, and `take()` hands the frame over as the parts to send, in order,
 * as one WebSocket message. Small messages are copied into a shared slab
 * (no allocation per message); a large body is not copied at all but
 * becomes a part of its own, so that a payload passed on by the broker goes
 * out as the very bytes it came in.
 *
 * @module
 */
import { type ByteSink, writeHead, writeText, writeValue } from "./envelope.ts";
import type { Message } from "./messages.ts";

/** Bodies at least this large are sent as parts of their own rather than copied. */
export const LARGE_BODY = 16 * 1024;

const SLAB = 64 * 1024;
const MIN_SLAB = 1024;
const MAJOR_BYTES = 2;
const MAJOR_MAP = 5;
// Fields written after all others, so that the body's bytes can follow the frame built so far.
const BYTES_FIELDS = new Set(["body", "chunk"]);

/**
 * Builds frames of one or more messages.
 *
 * @example Two messages in one frame
 * ```ts
 * import { FrameWriter } from "./frame-writer.ts";
 * const writer = new FrameWriter();
 * writer.add({ t: "cancel", id: 1 });
 * writer.add({ t: "cancel", id: 2 });
 * const parts = writer.take(); // one part holding both
 * ```
 */
export class FrameWriter implements ByteSink {
  // Allocated on first use: an idle connection keeps no slab.
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  // Parts cut out of the slab `buf` and not yet reported written.
  #unwritten = 0;
  // Earlier slabs whose frames are not all written yet, each with how many are not.
  #retired = new Map<ArrayBufferLike, number>();
  // A slab all of whose frames were written, to be used again rather than allocated.
  #spare: Uint8Array | undefined;
  // Where the frame being built starts in the slab.
  #start = 0;
  // Parts of the frame before the current run of the slab: earlier runs and large bodies.
  #parts: Uint8Array[] = [];
  #size = 0;
  #count = 0;

  /** Bytes of the frame built so far. */
  get size(): number {
    return this.#size + this.pos - this.#start;
  }

  /** Messages in the frame built so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Makes room for `n` more bytes: when the slab is full, the run so far
   * moves to a new slab, so that a frame's small messages stay one part.
   *
   * @param n Bytes about to be written.
   */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const run = this.buf.subarray(this.#start, this.pos);
    // Twice the last slab up to SLAB, so that an idle connection holds little, and always room for
    // more than this frame, so that a frame that fills slabs does not allocate one a message.
    const size = Math.max(2 * (run.length + n), Math.min(SLAB, Math.max(MIN_SLAB, 2 * this.buf.length)));
    const old = this.buf;
    // A slab used again spares the garbage collector: slabs live outside the heap, and allocating
    // them at the rate frames go out made the broker collect its old space many times a second.
    const spare = this.#spare;
    if (spare && spare.length >= size) {
      this.buf = spare;
      this.#spare = undefined;
    } else {
      this.buf = new Uint8Array(size);
    }
    this.buf.set(run);
    // The old slab waits for its frames to be written, or is the spare now.
    if (this.#unwritten > 0) this.#retired.set(old.buffer, this.#unwritten);
    else this.#keepSpare(old);
    this.#unwritten = 0;
    this.#start = 0;
    this.pos = run.length;
  }

  /**
   * Appends one message to the frame.
   *
   * @param message The message; a `Uint8Array` field is written as a byte string.
   * @returns The bytes the message took.
   * @throws {TypeError} When a field holds something other than a plain value.
   */
  add(message: Message): number {
    const before = this.size;
    const fields = message as unknown as Record<string, unknown>;
    let count = 0;
    let bytesField: string | undefined;
    for (const key in fields) {
      if (fields[key] === undefined) continue;
      count++;
      if (BYTES_FIELDS.has(key)) bytesField = key;
    }
    writeHead(this, MAJOR_MAP, count);
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined || key === bytesField) continue;
      writeText(this, key);
      writeValue(this, value as never);
    }
    if (bytesField !== undefined) this.#addBytes(bytesField, fields[bytesField] as Uint8Array);
    this.#count++;
    return this.size - before;
  }

  /**
   * Hands over the frame built so far and starts a new one.
   *
   * @returns The parts of the frame, in order; empty when no message was added.
   */
  take(): Uint8Array[] {
    if (this.pos > this.#start) {
      this.#parts.push(this.buf.subarray(this.#start, this.pos));
      this.#unwritten++;
    }
    this.#start = this.pos;
    const parts = this.#parts;
    this.#parts = [];
    this.#size = 0;
    this.#count = 0;
    return parts;
  }

  /**
   * Says that a frame handed out by {@link take} was written and its bytes
   * are no longer read, so that its slab may be used again. A caller that
   * cannot tell never calls it, and slabs are then left to the garbage
   * collector.
   *
   * @param parts The parts `take()` returned for that frame, each reported once.
   */
  written(parts: readonly Uint8Array[]): void {
    for (const part of parts) {
      const buffer = part.buffer;
      if (buffer === this.buf.buffer) {
        if (this.#unwritten > 0) this.#unwritten--;
        continue;
      }
      const left = this.#retired.get(buffer);
      if (left === undefined) continue;
      if (left > 1) {
        this.#retired.set(buffer, left - 1);
        continue;
      }
      this.#retired.delete(buffer);
      this.#keepSpare(new Uint8Array(buffer));
    }
  }

  #keepSpare(slab: Uint8Array): void {
    if (slab.length >= MIN_SLAB && slab.length >= (this.#spare?.length ?? 0)) this.#spare = slab;
  }

  #addBytes(key: string, bytes: Uint8Array): void {
    writeText(this, key);
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot write field "${key}": expected a Uint8Array`);
    writeHead(this, MAJOR_BYTES, bytes.byteLength);
    if (bytes.byteLength < LARGE_BODY) {
      this.reserve(bytes.byteLength);
      this.buf.set(bytes, this.pos);
      this.pos += bytes.byteLength;
      return;
    }
    const run = this.buf.subarray(this.#start, this.pos);
    if (run.length > 0) {
      this.#parts.push(run);
      this.#unwritten++;
    }
    this.#parts.push(bytes);
    this.#size += run.length + bytes.byteLength;
    this.#start = this.pos;
  }
}

/**
 * Encodes messages into one frame, as one array of bytes.
 *
 * @param messages The messages, in order.
 * @returns The frame.
 * @example A frame holding a hello
 * ```ts
 * import { encodeFrame } from "./frame-writer.ts";
 * const frame = encodeFrame({ t: "hello", name: "probe" });
 * ```
 */
export function encodeFrame(...messages: Message[]): Uint8Array {
  const writer = new FrameWriter();
  for (const message of messages) writer.add(message);
  return joinParts(writer.take());
}

/**
 * Joins the parts of a frame into one array, for a socket that cannot send
 * a message in fragments.
 *
 * @param parts The parts, in order.
 * @returns One array; the part itself when there is only one.
 */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const frame = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    frame.set(part, at);
    at += part.byteLength;
  }
  return frame;
}
