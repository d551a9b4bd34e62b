/**
 * `strongroom storage`: runs the storage actor in this process until a
 * signal stops it. It connects again when the broker goes away, keeping its
 * data directory open; on a signal it drains, then closes the data
 * directory once writes are on disk.
 *
 * @module
 */
import { logEngineEvent, type Storage, startStorage } from "../../actors/storage/mod.ts";
import { maxPayloadFor } from "../../protocol/wire/mod.ts";
import { requireSecret } from "../actor-secret.ts";
import { consoleLogger } from "../console-logger.ts";
import { fileProblem, isFileError, LocalFileError } from "../errors.ts";
import { onShutdown, surviveFileSizeLimit } from "../process.ts";
import { READY_PREFIX } from "../ready-line.ts";
import { trustedCa } from "../trust.ts";
import { defineCommand } from "./command.ts";

/** The `storage` command. */
export const STORAGE_COMMAND = defineCommand({
  name: "storage",
  args: [],
  summary: "Start the storage actor (reads STRONGROOM_ACTOR_SECRET)",
  settings: ["url", "data", "segmentBytes", "compactBytes", "tlsCa", "maxFrame", "maxId", "grace", "log", "actorSecret"],
  examples: ["STRONGROOM_ACTOR_SECRET=… strongroom storage --data ./data"],
  async run({ settings }) {
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
    }).catch((error: unknown) => {
      if (!isFileError(error)) throw error;
      throw new LocalFileError(`Cannot open data directory "${settings.data}": ${fileProblem(error)}; choose another with --data`, { cause: error });
    });
    running = storage;
    onShutdown(async () => {
      await storage.actor.drain();
      await storage.close();
      return 0;
    });
    process.stdout.write(`${READY_PREFIX} storage connected to ${settings.url} with data in ${settings.data}\n`);
  },
});
