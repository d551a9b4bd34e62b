/**
 * A stand-in broker on a free port that welcomes every peer and answers
 * each request as the test says, to reach answers a real cluster gives
 * only under rare conditions.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { encodeFrame, SUBPROTOCOL, type Welcome } from "../../src/protocol/wire/mod.ts";
import { type DecodedMessage, frame, readDecoded } from "./frames.ts";

/** A running stand-in broker. */
export interface FakeBroker {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Encodes the `welcome` a stand-in sends, with small limits unless told otherwise.
 *
 * @param id The connection id.
 * @param fields Limits (or a heartbeat) to use instead of the small defaults. @default {}
 * @returns The frame.
 */
export function welcomeFrame(id: string, fields: Partial<Omit<Welcome, "t" | "id">> = {}): Uint8Array {
  return encodeFrame({ t: "welcome", id, maxFrame: 1 << 20, maxPayload: 1 << 19, maxId: 1024, maxInFlight: 8, ...fields });
}

/**
 * Starts a stand-in broker.
 *
 * @param answer Returns the answer to a request (its body decoded, as the answer's will be encoded),
 *   or `undefined` to leave it unanswered.
 * @returns The running stand-in.
 */
export function startFakeBroker(answer: (req: DecodedMessage) => object | undefined): Promise<FakeBroker> {
  return startStandIn((socket, message) => {
    if (message.t === "hello") {
      socket.send(welcomeFrame("fake", { maxFrame: 1 << 24, maxPayload: (1 << 24) - 4096, maxInFlight: 64 }));
    } else if (message.t === "req") {
      const reply = answer(message);
      if (reply) socket.send(frame(reply));
    }
  });
}

/**
 * Starts a WebSocket server on a free port that speaks the protocol's
 * subprotocol and hands every message of every frame to the test, `hello` included,
 * bodies decoded: the test says what, if anything, to welcome and answer.
 *
 * @param onMessage Called with the socket and each message it sent.
 * @returns The running stand-in.
 */
export async function startStandIn(onMessage: (socket: WebSocket, message: DecodedMessage) => void): Promise<FakeBroker> {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1", handleProtocols: () => SUBPROTOCOL });
  server.on("connection", (socket) => {
    socket.on("message", (data: Buffer) => {
      for (const message of readDecoded(data)) onMessage(socket, message);
    });
  });
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
