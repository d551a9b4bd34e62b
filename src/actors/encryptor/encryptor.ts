/**
 * The encryptor actor's ops. It holds no state: every request brings the id
 * and key, and the ciphertext goes to the storage role under its locator.
 *
 * @module
 */
import {
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  expectBytes,
  expectFields,
  maxPayloadFor,
  NotFoundError,
  readAnswer,
  StorageFailedError,
} from "../../protocol/wire/mod.ts";
import type { ActorContext, Handler } from "../runtime/mod.ts";
import { DAMAGED, MISS, STORAGE_ROLE } from "./_storage.ts";
import { encryptorBatchHandlers } from "./batch.ts";
import { encryptorStreamHandlers, storedValue } from "./streams.ts";
import { associatedData, deriveKeys, generateKey, KEY_LENGTH, open, seal } from "./crypto.ts";

/** The role name of the encryptor. */
export const ENCRYPTOR_ROLE = "encryptor";
export { STORAGE_ROLE } from "./_storage.ts";

/** Limits of {@link encryptorHandlers}. */
export interface EncryptorLimits {
  /** Largest id, in bytes. @default 1024 */
  maxId?: number;
  /** Largest payload, and most bytes of a whole batch (see `batchItemBytes`). @default 16 MiB less the frame overhead */
  maxPayload?: number;
  /** Most items of one batch. @default 1000 */
  maxBatch?: number;
}

const textEncoder = new TextEncoder();

/**
 * Builds the handlers of the encryptor's ops: `store`, `retrieve`, `delete`,
 * and the batch ops `storeMany` and `retrieveMany` of `batch.ts`.
 *
 * @param limits Largest id, payload and batch accepted.
 * @returns Handlers by op name, for the actor runtime.
 */
export function encryptorHandlers(limits: EncryptorLimits = {}): Record<string, Handler> {
  const { maxId = DEFAULT_MAX_ID, maxPayload = maxPayloadFor(DEFAULT_MAX_FRAME) } = limits;

  function locate(context: ActorContext, key: Uint8Array) {
    const fields = expectFields(context.body);
    const id = expectBytes(fields, "id", { max: maxId });
    const tenant = textEncoder.encode(context.tenant);
    return { ...deriveKeys(key, tenant, id), aad: associatedData(tenant, id) };
  }

  function expectKey(context: ActorContext): Uint8Array {
    return expectBytes(expectFields(context.body), "key", { length: KEY_LENGTH });
  }

  const streams = encryptorStreamHandlers({ maxId, maxPayload });
  return {
    ...encryptorBatchHandlers(limits),
    ...streams.handlers,
    async store(context) {
      const payload = expectBytes(expectFields(context.body), "payload", { max: maxPayload });
      const key = generateKey();
      const { encKey, locator, aad } = locate(context, key);
      const value = seal(encKey, aad, payload);
      await context.call(STORAGE_ROLE, "put", { locator, value });
      return { key };
    },

    async retrieve(context) {
      const key = expectKey(context);
      const { encKey, locator, aad } = locate(context, key);
      const answer = await context.call(STORAGE_ROLE, "get", { locator }).catch(missAsNotFound);
      const stored = storedValue(answer);
      // A record stored as a stream is read as one and answered whole, when it fits an answer.
      if ("streamed" in stored) {
        const tenant = textEncoder.encode(context.tenant);
        const id = expectBytes(expectFields(context.body), "id", { max: maxId });
        return { payload: await streams.readStreamed(context, { encKey, locator, tenant, id }) };
      }
      const payload = open(encKey, aad, stored.value);
      if (!payload) throw new StorageFailedError(DAMAGED);
      return { payload };
    },

    async delete(context) {
      const { locator } = locate(context, expectKey(context));
      await context.call(STORAGE_ROLE, "delete", { locator }).catch(missAsNotFound);
      return {};
    },
  };
}

function missAsNotFound(error: unknown): never {
  if (error instanceof NotFoundError) throw new NotFoundError(MISS);
  throw error;
}
