/**
 * The `broker`, `encryptor` and `storage` commands: each starts one part in
 * this process, prints one ready line on stdout and stops on a signal.
 *
 * @module
 */
import { startEncryptor } from "../actors/encryptor/mod.ts";
import { logEngineEvent, startStorage } from "../actors/storage/mod.ts";
import { startBroker } from "../broker/mod.ts";
import { consoleLogger, logLevel } from "./console-logger.ts";
import { onShutdown, surviveFileSizeLimit } from "./process.ts";
import { type Settings, UsageError } from "./settings.ts";

/** The ready line of each part starts with this, so that launchers and tests can wait for it. */
export const READY_PREFIX = "strongroom";

function requireSecret(settings: Settings): string {
  if (!settings.actorSecret) {
    throw new UsageError('Missing setting "actor secret": set STRONGROOM_ACTOR_SECRET to the same long random value for the broker and every actor');
  }
  return settings.actorSecret;
}

/**
 * Runs the broker until a signal stops it.
 *
 * @param settings Host, port and actor secret.
 */
export async function runBroker(settings: Settings): Promise<void> {
  const logger = consoleLogger("broker", logLevel(process.env.STRONGROOM_LOG));
  const broker = await startBroker({
    host: settings.host,
    port: settings.port,
    actorSecret: requireSecret(settings),
    logger,
  });
  onShutdown(async () => {
    await broker.close();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} broker listening on ${broker.url}\n`);
}

/**
 * Runs an encryptor actor until a signal stops it or the broker goes away.
 *
 * @param settings Broker URL and actor secret.
 */
export async function runEncryptor(settings: Settings): Promise<void> {
  const logger = consoleLogger("encryptor", logLevel(process.env.STRONGROOM_LOG));
  const actor = await startEncryptor({
    url: settings.url,
    secret: requireSecret(settings),
    name: `encryptor-${process.pid}`,
    logger,
    onClose: (info) => {
      logger.error("Lost the broker", { code: info.code });
      process.exit(1);
    },
  });
  onShutdown(async () => {
    actor.close();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} encryptor connected to ${settings.url}\n`);
}

/**
 * Runs the storage actor until a signal stops it or the broker goes away.
 *
 * @param settings Broker URL, actor secret and data directory.
 */
export async function runStorage(settings: Settings): Promise<void> {
  const logger = consoleLogger("storage", logLevel(process.env.STRONGROOM_LOG));
  surviveFileSizeLimit();
  let closing = false;
  const stop = (status: number) => {
    closing = true;
    // Writes in progress finish (or fail) before the process exits.
    void storage.close().finally(() => process.exit(status));
  };
  const storage = await startStorage({
    url: settings.url,
    secret: requireSecret(settings),
    dir: settings.data,
    name: `storage-${process.pid}`,
    logger,
    engine: {
      segmentBytes: settings.segmentBytes,
      compactDeadBytes: settings.compactBytes,
      onEvent: (event) => logEngineEvent(logger, event),
    },
    onFailed: () => stop(1),
    onClose: (info) => {
      if (closing) return;
      logger.error("Lost the broker", { code: info.code });
      stop(1);
    },
  });
  onShutdown(async () => {
    closing = true;
    await storage.close();
    return 0;
  });
  process.stdout.write(`${READY_PREFIX} storage connected to ${settings.url} with data in ${settings.data}\n`);
}
