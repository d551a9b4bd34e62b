/**
 * The secret the broker and the actors share, which only the environment
 * gives (never a flag or a file), so that it shows neither in `ps` nor on disk.
 *
 * @module
 */
import { UsageError } from "./errors.ts";

/**
 * The actor secret, which a part cannot start without.
 *
 * @param settings The part's settings.
 * @returns The secret.
 * @throws {UsageError} When `STRONGROOM_ACTOR_SECRET` is not set.
 */
export function requireSecret(settings: { actorSecret: string | undefined }): string {
  if (!settings.actorSecret) {
    throw new UsageError("Missing setting \"actorSecret\": set STRONGROOM_ACTOR_SECRET to the same long random value for the broker and every actor");
  }
  return settings.actorSecret;
}
