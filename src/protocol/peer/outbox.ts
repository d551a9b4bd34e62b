/**
 * Coalescing of sends: the messages a peer sends in one turn of the event
 * loop go out as one frame. Each WebSocket frame costs its sender and its
 * receiver a fixed amount of work (framing, a write, an event), which under
 * load was the largest cost of the hot path; a frame carrying what one turn
 * produced (the answers to every request that one incoming frame held, say)
 * pays it once.
 *
 * A message is queued, and the frame goes out once the turn is over: with
 * `setImmediate` where there is one (Node, Deno), after the I/O callbacks of
 * the turn, else after the current microtasks; or at once when it holds
 * {@link FLUSH_BYTES}. A frame never grows past the receiver's limit: a
 * message that would take it past goes into the next.
 *
 * @module
 */
import { FrameWriter, type Message, messageSizeBound } from "../wire/mod.ts";

/**
 * A frame goes out as soon as it holds this many bytes, without waiting for
 * the end of the turn: below the 64 KiB a socket read takes at once, so
 * that a frame arrives in one read and is never joined from pieces, and
 * soon enough that the next process starts on a turn's first answers while
 * this one works on the rest. Measured at 256 requests in flight, it cut
 * the broker's full collections from some 25 to 4 in a run and raised
 * throughput by a quarter against frames of a whole turn.
 */
export const FLUSH_BYTES = 32 * 1024;

/** Runs a function once the current turn of the event loop is over. */
export type Scheduler = (run: () => void) => void;

/** The scheduler of the platform: `setImmediate` where there is one, else a microtask. */
export const END_OF_TURN: Scheduler =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === "function"
    ? (run) => void (globalThis as unknown as { setImmediate(run: () => void): unknown }).setImmediate(run)
    : (run) => queueMicrotask(run);

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /** Largest frame the receiver takes, in bytes. */
  maxFrame: number;
  /** When queued messages go out. @default END_OF_TURN */
  schedule?: Scheduler;
}

/** Messages waiting for the end of the turn, and the frames they become. */
export class Outbox {
  #writer = new FrameWriter();
  #send: (parts: Uint8Array[], messages: number, written: () => void) => void;
  #maxFrame: number;
  #schedule: Scheduler;
  #scheduled = false;
  #flush = () => {
    this.#scheduled = false;
    this.flush();
  };

  /**
   * @param send Sends one frame, given as its parts, and how many messages it holds; calls
   *   `written` once the socket no longer reads the parts (or never, where it cannot tell).
   * @param options The receiver's frame limit and the scheduler.
   */
  constructor(send: (parts: Uint8Array[], messages: number, written: () => void) => void, options: OutboxOptions) {
    this.#send = send;
    this.#maxFrame = options.maxFrame;
    this.#schedule = options.schedule ?? END_OF_TURN;
  }

  /** Bytes queued and not yet handed to the socket. */
  get size(): number {
    return this.#writer.size;
  }

  /**
   * Queues a message for the frame of this turn.
   *
   * @param message The message.
   * @returns The bytes it takes.
   */
  push(message: Message): number {
    // The frame so far goes first when this message might not fit beside it.
    if (this.#writer.count > 0 && this.#writer.size + messageSizeBound(message) > this.#maxFrame) this.flush();
    const size = this.#writer.add(message);
    if (this.#writer.size >= FLUSH_BYTES) {
      this.flush();
      return size;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#flush);
    }
    return size;
  }

  /** Sends what is queued now, as one frame. */
  flush(): void {
    const messages = this.#writer.count;
    if (messages === 0) return;
    const parts = this.#writer.take();
    this.#send(parts, messages, () => this.#writer.written(parts));
  }

  /** Drops what is queued, for a socket that closed. */
  clear(): void {
    this.#writer.take();
  }
}
