/**
 * What a handler returns to answer with a stream: a result, sent in the
 * `res`, and the chunks that follow it, each sent against the caller's
 * credit. Errors while the chunks are read end the stream with an `err`.
 *
 * @module
 */

/** A result and the chunks that follow it. */
export class StreamAnswer {
  /** The op's result, sent in the `res` that starts the stream. */
  readonly result: unknown;
  /** The chunks, read as the caller's credit allows. */
  readonly chunks: AsyncIterable<Uint8Array>;

  /**
   * @param result The op's result.
   * @param chunks The chunks that follow it.
   */
  constructor(result: unknown, chunks: AsyncIterable<Uint8Array>) {
    this.result = result;
    this.chunks = chunks;
  }
}

/**
 * Answers with a stream.
 *
 * @param result The op's result, sent first.
 * @param chunks The chunks that follow.
 * @returns What the handler returns.
 * @example A handler that streams a thousand chunks
 * ```ts
 * import { streamAnswer } from "./stream-answer.ts";
 * const handler = () => streamAnswer({ chunks: 1000 }, (async function* () {
 *   for (let i = 0; i < 1000; i++) yield new Uint8Array(1024);
 * })());
 * ```
 */
export function streamAnswer(result: unknown, chunks: AsyncIterable<Uint8Array>): StreamAnswer {
  return new StreamAnswer(result, chunks);
}
