/**
 * Sending one WebSocket message in parts, without joining them first: a
 * frame built by the outbox is small messages in one slab and, now and then,
 * a large body that is not copied; `ws` can send those as fragments of one
 * message (RFC 6455 §5.4), written to the socket together.
 *
 * Works on any class shaped like `ws`'s `WebSocket` (its `send` takes
 * `{ binary, fin }`, and its stream is `_socket`, a long-standing field of
 * `ws`), and needs no import, so that it can stay beside the rest of the
 * protocol. The platform's own `WebSocket` sends whole messages only: the
 * outbox joins the parts for it.
 *
 * @module
 */

interface Stream {
  cork(): void;
  uncork(): void;
}

/** What {@link withMessageParts} needs of a socket class. */
export interface PartableSocket {
  send(data: never, ...rest: never[]): void;
  _socket?: Stream | null;
}

/** A socket that sends a message given in parts as that one message. */
export interface PartSender {
  /**
   * Sends the parts, in order, as one binary message.
   *
   * @param parts At least one part.
   * @param onSent Called once the message was written to the socket (with an error if it failed).
   */
  sendParts(parts: readonly Uint8Array[], onSent?: (error?: Error) => void): void;
}

/**
 * Extends a `ws`-like socket class with {@link PartSender.sendParts}.
 *
 * @param Base The socket class, such as `ws`'s `WebSocket`.
 * @returns A subclass that sends messages in parts.
 * @example A client socket of `ws` that sends parts
 * ```ts
 * import { WebSocket } from "ws";
 * import { withMessageParts } from "./message-parts.ts";
 * const PartSending = withMessageParts(WebSocket);
 * const socket = new PartSending("ws://127.0.0.1:7070", "strongroom.v2");
 * ```
 */
export function withMessageParts<C extends new (...args: any[]) => PartableSocket>(Base: C): C & (new (...args: any[]) => PartSender) {
  return class extends Base implements PartSender {
    sendParts(parts: readonly Uint8Array[], onSent?: (error?: Error) => void): void {
      const send = this.send as (data: Uint8Array, options: { binary: boolean; fin: boolean }, cb?: (error?: Error) => void) => void;
      const last = parts.length - 1;
      if (last === 0) {
        send.call(this, parts[0]!, { binary: true, fin: true }, onSent);
        return;
      }
      const stream = this._socket;
      stream?.cork();
      try {
        for (let i = 0; i < last; i++) send.call(this, parts[i]!, { binary: true, fin: false });
        send.call(this, parts[last]!, { binary: true, fin: true }, onSent);
      } finally {
        stream?.uncork();
      }
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
