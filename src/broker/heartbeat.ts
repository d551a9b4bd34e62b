/**
 * Liveness of the broker's connections: each socket is pinged every half
 * interval; one that has neither answered the previous ping nor sent
 * anything since is taken for dead (a stopped process, a pulled cable) and
 * destroyed, so that what it held is answered. A peer is found out at most
 * one interval after it fell silent.
 *
 * @module
 */
// From node:timers, whose timers can be unref'd on Deno too (its global ones are numbers).
import { clearInterval, setInterval } from "node:timers";
import type { WebSocket } from "ws";

/** Pings sockets and terminates those that stopped answering. */
export class Heartbeat {
  #alive = new WeakMap<WebSocket, boolean>();
  #timer: ReturnType<typeof setInterval>;

  /**
   * Starts pinging.
   *
   * @param interval Longest silence, in ms, before a peer is taken for dead; pings go out twice as often.
   * @param sockets The sockets to look after, read at every round.
   * @param onDead Called for a socket that missed its pong, just before it is terminated.
   */
  constructor(interval: number, sockets: () => Iterable<WebSocket>, onDead: (socket: WebSocket) => void) {
    this.#timer = setInterval(() => {
      for (const socket of sockets()) {
        if (this.#alive.get(socket) === false) {
          onDead(socket);
          socket.terminate();
          continue;
        }
        this.#alive.set(socket, false);
        socket.ping();
      }
    }, interval / 2);
    this.#timer.unref();
  }

  /**
   * Starts looking after a new socket: its pongs and messages count as signs of life.
   *
   * @param socket A socket just accepted.
   */
  watch(socket: WebSocket): void {
    const alive = () => this.#alive.set(socket, true);
    alive();
    socket.on("pong", alive);
    socket.on("message", alive);
  }

  /** Stops pinging. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
