/**
 * The `broker`, `encryptor` and `storage` commands: each starts one part in
 * this process, prints one ready line on stdout and stops on a signal.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { startEncryptor } from "../actors/encryptor/mod.ts";
import { logEngineEvent, type Storage, startStorage } from "../actors/storage/mod.ts";
import { startBroker } from "../broker/mod.ts";
import { maxPayloadFor } from "../protocol/wire/mod.ts";
import { consoleLogger } from "./console-logger.ts";
import { onShutdown, surviveFileSizeLimit } from "./process.ts";
import { type Settings, UsageError } from "./settings.ts";
import { readTokens } from "./tokens.ts";
import { trustedCa } from "./trust.ts";

/** The ready line of each part starts with this, so that launchers and tests can wait for it. */
export const READY_PREFIX = "strongroom";

/**
 * Reads the broker's URL off its ready line, as a URL this host reaches it
 * at: a broker listening on every interface is reached through loopback.
 *
 * @param line The broker's ready line.
 * @returns The URL.
 * @throws {Error} When the line is not the broker's ready line.
 */
export function brokerUrl(line: string): string {
  const listening = /listening on (\S+)/.exec(line)?.[1];
  if (listening === undefined) throw new Error(`Not the broker's ready line: ${JSON.stringify(line)}`);
  return listening.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, "//127.0.0.1");
}

function requireSecret(settings: Settings): string {
  if (!settings.actorSecret) {
    throw new UsageError('Missing setting "actor secret": set STRONGROOM_ACTOR_SECRET to the same long random value for the broker and every actor');
  }
  return settings.actorSecret;
}

function readTls(settings: Settings): { cert: Buffer; key: Buffer } | undefined {
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

/**
 * Runs the broker until a signal stops it; then it stops accepting, gives
 * requests in flight the grace period and closes every connection.
 *
 * @param settings Host, port, actor secret, tokens, TLS, limits.
 */
export async function runBroker(settings: Settings): Promise<void> {
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
    if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  onShutdown(async () => {
    await broker.close();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} broker listening on ${broker.url}\n`);
}

/**
 * Runs an encryptor actor until a signal stops it. It connects again when
 * the broker goes away; on a signal it drains (no new requests, those in
 * flight finished) and exits 0.
 *
 * @param settings Broker URL, actor secret, grace period.
 */
export async function runEncryptor(settings: Settings): Promise<void> {
  const logger = consoleLogger("encryptor", settings.log);
  const actor = await startEncryptor({
    url: settings.url,
    secret: requireSecret(settings),
    name: `encryptor-${process.pid}`,
    ca: trustedCa(settings),
    drainTimeout: settings.grace,
    logger,
    // The limits the broker is given too, as the launcher hands its settings to every part.
    maxId: settings.maxId,
    maxPayload: maxPayloadFor(settings.maxFrame, settings.maxId),
  });
  onShutdown(async () => {
    await actor.drain();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} encryptor connected to ${settings.url}\n`);
}

/**
 * Runs the storage actor until a signal stops it. It connects again when
 * the broker goes away, keeping its data directory open; on a signal it
 * drains, then closes the data directory once writes are on disk.
 *
 * @param settings Broker URL, actor secret, data directory, grace period.
 */
export async function runStorage(settings: Settings): Promise<void> {
  const logger = consoleLogger("storage", settings.log);
  surviveFileSizeLimit();
  let running: Storage | undefined;
  const storage = await startStorage({
    url: settings.url,
    secret: requireSecret(settings),
    dir: settings.data,
    name: `storage-${process.pid}`,
    ca: trustedCa(settings),
    drainTimeout: settings.grace,
    logger,
    maxValue: settings.maxFrame,
    maxAnswer: maxPayloadFor(settings.maxFrame, settings.maxId),
    engine: {
      segmentBytes: settings.segmentBytes,
      compactDeadBytes: settings.compactBytes,
      onEvent: (event) => logEngineEvent(logger, event),
    },
    // An engine that failed (fsync, I/O) answers nothing more: the process ends, a restart recovers.
    onFailed: () => void (running?.close() ?? Promise.resolve()).finally(() => process.exit(1)),
  });
  running = storage;
  onShutdown(async () => {
    await storage.actor.drain();
    await storage.close();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} storage connected to ${settings.url} with data in ${settings.data}\n`);
}
