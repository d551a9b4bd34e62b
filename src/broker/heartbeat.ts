/**
 * Liveness of the broker's connections: every interval each socket is
 * pinged; one that has neither answered the previous ping nor sent anything
 * since is taken for dead (a stopped process, a pulled cable) and destroyed,
 * so that what it held is answered. Detection takes one to two intervals.
 *
 * @module
 */
import type { WebSocket } from "ws";

/** Pings sockets and terminates those that stopped answering. */
export class Heartbeat {
  #alive = new WeakMap<WebSocket, boolean>();
  #timer: ReturnType<typeof setInterval>;

  /**
   * Starts pinging.
   *
   * @param interval Milliseconds between pings.
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
    }, interval);
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
