/**
 * One connection of a command to the broker, for the span of one piece of
 * work: the client settings in, the client closed after.
 *
 * @module
 */
import { connect, type StrongroomClient } from "../client/mod.ts";
import { clientToken } from "./client-token.ts";
import { trustedSocketFactory } from "./trust.ts";

/** The settings a client connection reads. */
export interface ClientConnectionSettings {
  url: string;
  token: string | undefined;
  tokenFile?: string | undefined;
  timeout: number;
  tlsCa: string | undefined;
}

/** Options of {@link withClient}. */
export interface WithClientOptions {
  /** The client's name, as the broker shows it. @default "cli" */
  name?: string;
  /** Whether the client connects again when the connection drops. @default true */
  reconnect?: boolean;
}

/**
 * Connects, runs `work`, and closes the client whatever happens.
 *
 * @param settings URL, token, time budget and trusted certificates.
 * @param work What to do with the client.
 * @param options The client's name, and whether it reconnects.
 * @returns What `work` resolves to.
 */
export async function withClient<T>(
  settings: ClientConnectionSettings,
  work: (client: StrongroomClient) => Promise<T>,
  options: WithClientOptions = {},
): Promise<T> {
  const { name = "cli", reconnect = true } = options;
  const client = await connect(settings.url, {
    token: clientToken(settings),
    timeout: settings.timeout,
    name,
    reconnect,
    socketFactory: trustedSocketFactory(settings),
  });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * Writes to stdout and resolves once the bytes are handed to the system.
 *
 * @param bytes What to write.
 * @returns When it is written.
 */
export function writeOut(bytes: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}
