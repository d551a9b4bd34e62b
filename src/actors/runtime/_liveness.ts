/**
 * The actor's side of liveness: the broker pings at least twice per
 * `heartbeat` ms (it says so in `welcome`); a connection that hears no ping
 * and no message for {@link MISSED_PINGS} heartbeats is taken for dead and destroyed,
 * so that the actor connects again instead of waiting on a half-open TCP
 * connection (a broker host that vanished, a cut network) for many minutes.
 *
 * @module
 */
import WebSocket from "ws";
import { type SocketFactory, type SocketLike, withMessageParts, zeroMask } from "../../protocol/peer/mod.ts";

const ActorWebSocket = withMessageParts(WebSocket);

/** Heartbeats of silence before the connection is taken for dead. */
export const MISSED_PINGS = 3;

/** A socket factory whose latest socket can be watched for the broker's pings. */
export interface WatchedSockets {
  readonly factory: SocketFactory;
  /**
   * Starts watching the latest socket.
   *
   * @param heartbeat The broker's liveness interval from `welcome`; 0 or absent: no watching.
   */
  watch(heartbeat: number | undefined): void;
}

/**
 * Makes `ws` sockets that can be watched for the broker's pings.
 *
 * @param ca Certificates (PEM) to trust for `wss://`, instead of the system's roots. @default undefined
 * @returns The factory and the watch switch.
 */
export function watchedSockets(ca?: readonly string[]): WatchedSockets {
  let latest: WebSocket | undefined;
  return {
    factory(url, protocol) {
      latest = new ActorWebSocket(url, protocol, { generateMask: zeroMask, ...(ca === undefined ? {} : { ca: [...ca] }) });
      return latest as unknown as SocketLike;
    },
    watch(heartbeat) {
      const socket = latest;
      if (!socket || !heartbeat) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const alive = () => {
        clearTimeout(timer);
        timer = setTimeout(() => socket.terminate(), heartbeat * MISSED_PINGS);
      };
      alive();
      socket.on("ping", alive);
      socket.on("message", alive);
      socket.once("close", () => clearTimeout(timer));
    },
  };
}
