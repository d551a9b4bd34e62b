/**
 * `strongroom broker`: runs the broker in this process until a signal
 * stops it; then it stops accepting, gives requests in flight the grace
 * period and closes every connection.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { startBroker } from "../../broker/mod.ts";
import { requireSecret } from "../actor-secret.ts";
import { consoleLogger } from "../console-logger.ts";
import { fileProblem, ListenError, LocalFileError, UsageError } from "../errors.ts";
import { onShutdown } from "../process.ts";
import { READY_PREFIX } from "../ready-line.ts";
import { readTokens } from "../tokens.ts";
import { defineCommand } from "./command.ts";

function readTls(settings: { tlsCert: string | undefined; tlsKey: string | undefined }): { cert: Buffer; key: Buffer } | undefined {
  if (settings.tlsCert === undefined && settings.tlsKey === undefined) return undefined;
  if (settings.tlsCert === undefined || settings.tlsKey === undefined) {
    throw new UsageError('Invalid settings "tlsCert" and "tlsKey": give both or neither');
  }
  const read = (path: string, name: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new LocalFileError(`Cannot read ${name} file "${path}": ${fileProblem(error)}`, { cause: error });
    }
  };
  return { cert: read(settings.tlsCert, "certificate"), key: read(settings.tlsKey, "private key") };
}

const LISTEN_PROBLEMS: Readonly<Record<string, (where: string, host: string) => string>> = {
  EADDRINUSE: (where) => `Cannot listen on ${where}: another process uses that port; stop it, or choose another port with --port (0 picks a free one)`,
  EACCES: (where) => `Cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose a port from 1024 up with --port`,
  EADDRNOTAVAIL: (where, host) => `Cannot listen on ${where}: "${host}" is not an address of this machine; choose one with --host (127.0.0.1 or 0.0.0.0)`,
  ENOTFOUND: (where, host) => `Cannot listen on ${where}: no address is known for "${host}"; choose one with --host (127.0.0.1 or 0.0.0.0)`,
};

// A failure to listen, in words that say what to do.
function listenError(error: unknown, settings: { host: string; port: number }): ListenError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem = code === undefined ? undefined : LISTEN_PROBLEMS[code];
  const where = `${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${settings.port}`;
  return problem ? new ListenError(problem(where, settings.host), { cause: error }) : undefined;
}

/** The `broker` command. */
export const BROKER_COMMAND = defineCommand({
  name: "broker",
  args: [],
  summary: "Start the broker (reads STRONGROOM_ACTOR_SECRET)",
  settings: [
    "host",
    "port",
    "tokens",
    "tlsCert",
    "tlsKey",
    "allowOrigins",
    "heartbeat",
    "maxFrame",
    "maxId",
    "maxInFlight",
    "maxConnections",
    "maxQueue",
    "maxBuffered",
    "routeWarmup",
    "grace",
    "log",
    "actorSecret",
  ],
  examples: [
    "STRONGROOM_ACTOR_SECRET=… strongroom broker --port 7070",
    "STRONGROOM_ACTOR_SECRET=… strongroom broker --host 0.0.0.0 --tokens tokens.txt --tls-cert cert.pem --tls-key key.pem",
  ],
  async run({ settings }) {
    const logger = consoleLogger("broker", settings.log);
    let broker;
    try {
      broker = await startBroker({
        host: settings.host,
        port: settings.port,
        actorSecret: requireSecret(settings),
        tokens: settings.tokens === undefined ? {} : readTokens(settings.tokens),
        tls: readTls(settings),
        allowedOrigins: settings.allowOrigins,
        heartbeat: settings.heartbeat,
        maxFrame: settings.maxFrame,
        maxId: settings.maxId,
        maxInFlight: settings.maxInFlight,
        maxConnections: settings.maxConnections,
        maxQueue: settings.maxQueue,
        maxBuffered: settings.maxBuffered,
        warmup: settings.routeWarmup,
        shutdownTimeout: Math.max(1, settings.grace),
        logger,
      });
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(error.message, { cause: error });
      throw listenError(error, settings) ?? error;
    }
    onShutdown(async () => {
      await broker.close();
      return 0;
    });
    process.stdout.write(`${READY_PREFIX} broker listening on ${broker.url}\n`);
  },
});
