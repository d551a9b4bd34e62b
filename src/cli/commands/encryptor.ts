/**
 * `strongroom encryptor`: runs an encryptor actor in this process until a
 * signal stops it. It connects again when the broker goes away; on a
 * signal it drains (no new requests, those in flight finished within the
 * grace period) and exits 0.
 *
 * @module
 */
import { startEncryptor } from "../../actors/encryptor/mod.ts";
import { maxPayloadFor } from "../../protocol/wire/mod.ts";
import { requireSecret } from "../actor-secret.ts";
import { consoleLogger } from "../console-logger.ts";
import { onShutdown } from "../process.ts";
import { READY_PREFIX } from "../ready-line.ts";
import { trustedCa } from "../trust.ts";
import { defineCommand } from "./command.ts";

/** The `encryptor` command. */
export const ENCRYPTOR_COMMAND = defineCommand({
  name: "encryptor",
  args: [],
  summary: "Start an encryptor actor (reads STRONGROOM_ACTOR_SECRET)",
  settings: ["url", "tlsCa", "maxFrame", "maxId", "grace", "log", "actorSecret"],
  examples: ["STRONGROOM_ACTOR_SECRET=… strongroom encryptor --url ws://127.0.0.1:7070"],
  async run({ settings }) {
    const actor = await startEncryptor({
      url: settings.url,
      secret: requireSecret(settings),
      name: `encryptor-${process.pid}`,
      ca: trustedCa(settings),
      drainTimeout: settings.grace,
      logger: consoleLogger("encryptor", settings.log),
      // The limits the broker is given too, as the launcher hands its settings to every part.
      maxId: settings.maxId,
      maxPayload: maxPayloadFor(settings.maxFrame, settings.maxId),
    });
    onShutdown(async () => {
      await actor.drain();
      return 0;
    });
    process.stdout.write(`${READY_PREFIX} encryptor connected to ${settings.url}\n`);
  },
});
