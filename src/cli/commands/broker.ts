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
import { UsageError } from "../errors.ts";
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
      throw new UsageError(`Cannot read ${name} file "${path}": ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
  };
  return { cert: read(settings.tlsCert, "certificate"), key: read(settings.tlsKey, "private key") };
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
      throw error;
    }
    onShutdown(async () => {
      await broker.close();
      return 0;
    });
    process.stdout.write(`${READY_PREFIX} broker listening on ${broker.url}\n`);
  },
});
