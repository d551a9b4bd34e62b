/**
 * The encryptor actor: `store`, `retrieve` and `delete`, and the batch ops
 * `storeMany` and `retrieveMany`, with the cryptography of the design. Stateless; run as many as you like.
 *
 * @example Starting an encryptor
 * ```ts
 * import { startEncryptor } from "./mod.ts";
 * const actor = await startEncryptor({ url: "ws://127.0.0.1:7070", secret: "the actor secret" });
 * ```
 *
 * @module
 */
import type { Actor, ActorOptions } from "../runtime/mod.ts";
import { startActor } from "../runtime/mod.ts";
import { ENCRYPTOR_ROLE, encryptorHandlers, type EncryptorLimits } from "./encryptor.ts";

export {
  associatedData,
  deriveKeys,
  type DerivedKeys,
  generateKey,
  KEY_LENGTH,
  lengthPrefixed,
  NONCE_LENGTH,
  open,
  seal,
  sealInto,
  SUITE_AES_256_GCM,
  TAG_LENGTH,
  VALUE_OVERHEAD,
  VERSION,
} from "./crypto.ts";
export { ENCRYPTOR_ROLE, encryptorHandlers, type EncryptorLimits, STORAGE_ROLE } from "./encryptor.ts";

/** Options of {@link startEncryptor}. */
export interface EncryptorOptions extends Omit<ActorOptions, "role" | "handlers">, EncryptorLimits {}

/**
 * Connects an encryptor actor to the broker.
 *
 * @param options Broker URL, actor secret, limits.
 * @returns The running actor.
 * @throws {StrongroomError} When the broker refuses it or cannot be reached.
 */
export function startEncryptor(options: EncryptorOptions): Promise<Actor> {
  const { maxId, maxPayload, maxBatch, ...actor } = options;
  return startActor({
    // Most of a request's time is the wait for storage: enough requests at once keep the core busy.
    concurrency: 256,
    ...actor,
    role: ENCRYPTOR_ROLE,
    handlers: encryptorHandlers({ maxId, maxPayload, maxBatch }),
  });
}
