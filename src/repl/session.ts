/**
 * The REPL's hold on the broker: one client that reconnects by itself, and
 * notices for people when the connection goes and comes back. When the
 * broker cannot be reached at start, it keeps trying in the background.
 *
 * @module
 */
import { connect, type SocketFactory, type StrongroomClient, UnavailableError } from "../client/mod.ts";
import { backoffDelay } from "../protocol/peer/mod.ts";

/** Options of {@link openSession}. */
export interface ReplSessionOptions {
  /** The broker's URL. */
  url: string;
  /** The client token. @default undefined */
  token?: string;
  /** Time budget of each call, in ms. @default 10000 */
  timeout?: number;
  /** Opens the socket. @default the client's default */
  socketFactory?: SocketFactory;
}

/** The REPL's connection to the broker. */
export interface ReplSession {
  readonly url: string;
  /** Settles once the first attempt to connect has succeeded or failed. */
  readonly ready: Promise<void>;
  /** The client, or throws `UNAVAILABLE` while the first connection has not been made. */
  client(): StrongroomClient;
  /** Receives notices: connection lost, connected again. */
  onNotice(listener: (message: string) => void): void;
  close(): Promise<void>;
}

/**
 * Connects the REPL to the broker, in the background if need be.
 *
 * @param options URL, token, time budget.
 * @returns The session at once; the first connection may still be under way.
 */
export function openSession(options: ReplSessionOptions): ReplSession {
  const { url, token, timeout, socketFactory } = options;
  let client: StrongroomClient | undefined;
  let closed = false;
  let notify: (message: string) => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;

  const attempt = async (n: number): Promise<void> => {
    try {
      const connected = await connect(url, {
        token,
        timeout,
        name: "repl",
        socketFactory,
        onEvent: (event) => {
          if (event.type === "disconnected") notify(`connection to ${url} lost (${event.code}); reconnecting…`);
          else if (event.type === "connected" && event.attempt > 0) notify(`reconnected to ${url}`);
        },
      });
      if (closed) return void (await connected.close());
      client = connected;
      if (n > 0) notify(`connected to ${url}`);
    } catch (error) {
      if (closed) return;
      // A refusal (bad token) will not go away by trying again.
      if ((error as { code?: string }).code === "UNAUTHENTICATED") {
        notify(`error UNAUTHENTICATED: ${(error as Error).message}`);
        return;
      }
      if (n === 0) notify(`cannot reach ${url} yet; trying in the background`);
      timer = setTimeout(() => void attempt(n + 1), backoffDelay(n, { initial: 200, max: 5000 }));
    }
  };
  const ready = attempt(0);

  return {
    url,
    ready,
    client() {
      if (!client) throw new UnavailableError(`Not connected to ${url} yet`);
      return client;
    },
    onNotice(listener) {
      notify = listener;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await ready;
      await client?.close();
    },
  };
}
