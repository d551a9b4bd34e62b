/**
 * Fewer system calls for many small frames: a `ws` socket whose sends in one
 * turn of the event loop (one incoming chunk and the promise callbacks it
 * settles) go out in one write. Each frame's own write is a system call, and
 * on the machines we measured a call costs as much as routing the frame; under
 * load the broker spent a quarter of its time in `writev`.
 *
 * Works on any class shaped like `ws`'s `WebSocket` (its stream is `_socket`,
 * a long-standing field of `ws`), and needs no import, so that it can stay
 * beside the rest of the protocol; the platform's own `WebSocket` needs none
 * of this.
 *
 * @module
 */

interface Stream {
  cork(): void;
  uncork(): void;
}

/** What {@link withBatchedWrites} needs of a socket class. */
export interface BatchableSocket {
  send(data: never, ...rest: never[]): void;
  _socket?: Stream | null;
}

/**
 * Extends a `ws`-like socket class so that its sends within one turn of the
 * event loop are written together.
 *
 * @param Base The socket class, such as `ws`'s `WebSocket`.
 * @returns A subclass with batched sends.
 * @example A batching client socket
 * ```ts
 * import { WebSocket } from "ws";
 * import { withBatchedWrites } from "./batched-writes.ts";
 * const Batching = withBatchedWrites(WebSocket);
 * const socket = new Batching("ws://127.0.0.1:7070", "strongroom.v1");
 * ```
 */
export function withBatchedWrites<C extends new (...args: any[]) => BatchableSocket>(Base: C): C {
  return class extends Base {
    #corked = false;

    override send(...args: Parameters<BatchableSocket["send"]>): void {
      const stream = this._socket;
      if (stream && !this.#corked) {
        this.#corked = true;
        stream.cork();
        // After the callbacks already queued: the replies they send join this write.
        queueMicrotask(() => {
          this.#corked = false;
          stream.uncork();
        });
      }
      super.send(...args);
    }
  };
}

/**
 * A masking key of zeros, for `ws`'s `generateMask` option on connections
 * opened by programs (actors, and the client library on Node). Masking
 * (RFC 6455 §10.3) protects proxies from bytes that a script in a web page
 * chooses; a program runs no such script, and with a zero key `ws` skips two
 * passes over every payload, one on each end. Browsers and Deno's own
 * `WebSocket` still mask, natively.
 *
 * @param mask The 4-byte key to fill.
 */
export function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}
