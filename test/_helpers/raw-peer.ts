/**
 * A WebSocket peer that speaks the protocol by hand, for tests that send
 * what no well-behaved client would.
 *
 * @module
 */
import WebSocket from "ws";
import { SUBPROTOCOL } from "../../src/protocol/wire/mod.ts";
import { type DecodedMessage as RawMessage, frame as encodeFrame, readDecoded } from "./frames.ts";

/** A raw peer: send any bytes, read every message, see the close. */
export interface RawPeer {
  readonly socket: WebSocket;
  /** Sends a value as a frame of one CBOR item (a message's `body` encoded for it), or raw bytes as they are. */
  send(frame: unknown): void;
  /** The next message the broker sent; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<RawMessage>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/**
 * Opens a raw peer, optionally saying hello first.
 *
 * @param url The broker's URL.
 * @param hello Fields of a hello to send and wait for the welcome of; `null` sends nothing.
 * @returns The open peer.
 */
export async function rawPeer(url: string, hello: Record<string, unknown> | null = {}): Promise<RawPeer> {
  const socket = new WebSocket(url, SUBPROTOCOL);
  const inbox: RawMessage[] = [];
  const waiters: ((message: RawMessage) => void)[] = [];
  socket.on("message", (data: Buffer) => {
    // The broker packs what it sends in one turn into one frame.
    for (const message of readDecoded(data)) {
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else inbox.push(message);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const peer: RawPeer = {
    socket,
    send(frame) {
      socket.send(frame instanceof Uint8Array ? frame : encodeFrame(frame));
    },
    next(timeoutMs = 5000) {
      const queued = inbox.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("No message in time")), timeoutMs);
        waiters.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
    },
    closed,
    close() {
      socket.close();
    },
  };
  if (hello) {
    peer.send({ t: "hello", ...hello });
    const welcome = await peer.next();
    if (welcome.t !== "welcome") throw new Error(`Expected a welcome, got ${JSON.stringify(welcome)}`);
  }
  return peer;
}
