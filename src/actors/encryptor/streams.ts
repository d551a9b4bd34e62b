/**
 * The encryptor's stream ops: `storeStream`, which seals an upload of any
 * size chunk by chunk into one upload to storage, and `retrieveStream`,
 * which opens storage's stream chunk by chunk into the caller's download.
 * Neither holds more than a chunk and the windows of the streams it joins:
 * the caller's credit paces storage, and storage's the caller.
 *
 * Storage's side of it (DESIGN.md, "Streams"): `putStream { locator }` with
 * the value as its upload, answered once the whole value is durable;
 * `getStream { locator }` answered `{ length }` (bytes of the value) and
 * then the value's bytes, for a value stored whole as for a streamed one;
 * `get` answers `{ streamed: length }` for a streamed value, without it.
 *
 * @module
 */
import {
  DEFAULT_CHUNK,
  DEFAULT_MAX_FRAME,
  DEFAULT_MAX_ID,
  expectBytes,
  expectFields,
  expectInteger,
  type Fields,
  maxPayloadFor,
  NotFoundError,
  readAnswer,
  StorageFailedError,
  TooLargeError,
} from "../../protocol/wire/mod.ts";
import { type ActorContext, type Handler, streamAnswer } from "../runtime/mod.ts";
import { DAMAGED, MISS, STORAGE_ROLE } from "./_storage.ts";
import { associatedData, deriveKeys, generateKey, open, VALUE_OVERHEAD } from "./crypto.ts";
import { DamagedStreamError, openChunks, sealChunks } from "./stream-chunks.ts";
import { isStreamed, STREAM_HEADER_LENGTH, STREAM_VERSION, StreamSealer, streamPlaintextLength } from "./stream-crypto.ts";

/** Limits of {@link encryptorStreamHandlers}. */
export interface StreamLimits {
  /** Largest id, in bytes. @default 1024 */
  maxId?: number;
  /** Largest payload `retrieve` answers whole; a larger streamed record is `TOO_LARGE`. @default 16 MiB less the frame overhead */
  maxPayload?: number;
}

const textEncoder = new TextEncoder();

/**
 * Builds the handlers of the stream ops, and of `retrieve` for a record
 * that was stored as a stream.
 *
 * - `storeStream { id, expiresIn? }` with the plaintext as its upload →
 *   `{ key }` once storage has the whole value durable.
 * - `retrieveStream { id, key }` → `{ size }` (bytes of plaintext), then
 *   the plaintext; an unknown id and a wrong key are the same `NOT_FOUND`,
 *   and a damaged value fails the stream with `STORAGE_FAILED`.
 *
 * @param limits Largest id and whole payload.
 * @returns The handlers, and `readStreamed` for `retrieve`.
 */
export function encryptorStreamHandlers(limits: StreamLimits = {}): {
  handlers: Record<string, Handler>;
  readStreamed(context: ActorContext, located: Located): Promise<Uint8Array>;
} {
  const { maxId = DEFAULT_MAX_ID, maxPayload = maxPayloadFor(DEFAULT_MAX_FRAME) } = limits;

  function locate(context: ActorContext, key: Uint8Array): Located {
    const id = expectBytes(expectFields(context.body), "id", { max: maxId });
    const tenant = textEncoder.encode(context.tenant);
    return { ...deriveKeys(key, tenant, id), tenant, id };
  }

  async function readStreamed(context: ActorContext, located: Located): Promise<Uint8Array> {
    const found = await openStored(context, located);
    if (found.size > maxPayload) {
      found.cancel();
      throw new TooLargeError(`Cannot answer a record of ${found.size} bytes whole: the limit is ${maxPayload}; read it with retrieveStream`);
    }
    const out = new Uint8Array(found.size);
    let at = 0;
    for await (const chunk of found.plaintext) {
      if (at + chunk.length > out.length) throw new StorageFailedError(DAMAGED);
      out.set(chunk, at);
      at += chunk.length;
    }
    if (at !== out.length) throw new StorageFailedError(DAMAGED);
    return out;
  }

  return {
    readStreamed,
    handlers: {
      async storeStream(context) {
        if (!context.upload) throw new TooLargeError('Cannot store a stream without its upload: send "storeStream" with stream: true');
        const fields = expectFields(context.body);
        const expiry = fields.expiresIn === undefined ? {} : { expiresIn: expectInteger(fields, "expiresIn", 1, Number.MAX_SAFE_INTEGER) };
        const key = generateKey();
        const { encKey, locator, tenant, id } = locate(context, key);
        const sealer = new StreamSealer(encKey, associatedData(tenant, id, STREAM_VERSION));
        await context.call(STORAGE_ROLE, "putStream", { locator, ...expiry }, { upload: sealChunks(context.upload, sealer) });
        return { key };
      },

      async retrieveStream(context) {
        const key = expectBytes(expectFields(context.body), "key", { length: 32 });
        const found = await openStored(context, locate(context, key));
        return streamAnswer({ size: found.size }, found.plaintext);
      },
    },
  };
}

/** A record's keys, tenant and id. */
export interface Located {
  readonly encKey: Uint8Array;
  readonly locator: Uint8Array;
  readonly tenant: Uint8Array;
  readonly id: Uint8Array;
}

/** A stored record found, its plaintext not read yet. */
interface Found {
  /** Bytes of plaintext. */
  readonly size: number;
  /** The plaintext, chunk by chunk, each only once it authenticated. */
  readonly plaintext: AsyncIterable<Uint8Array>;
  /** Gives up on the rest. */
  cancel(): void;
}

// Asks storage for a record's value as a stream and reads its first bytes: enough to know its
// kind (a single value or a streamed one) and its plaintext size.
async function openStored(context: ActorContext, located: Located): Promise<Found> {
  const answer = await context.callStream(STORAGE_ROLE, "getStream", { locator: located.locator }).catch(missAsNotFound);
  const length = readAnswer(STORAGE_ROLE, "getStream", () => expectInteger(expectFields(answer.result), "length", 0, Number.MAX_SAFE_INTEGER));
  const first: Uint8Array[] = [];
  let have = 0;
  while (have < STREAM_HEADER_LENGTH) {
    const chunk = await answer.chunks.read();
    if (!chunk) break;
    first.push(chunk);
    have += chunk.length;
  }
  const head = first.length === 1 ? first[0]! : Uint8Array.from(first.flatMap((c) => [...c]));
  const rest = (async function* () {
    yield head;
    for await (const chunk of answer.chunks) yield chunk;
  })();
  if (isStreamed(head) && head.length >= STREAM_HEADER_LENGTH) {
    const chunkSize = new DataView(head.buffer, head.byteOffset, head.length).getUint32(2);
    const size = streamPlaintextLength(length, chunkSize);
    if (size < 0) {
      answer.cancel();
      throw new StorageFailedError(DAMAGED);
    }
    const aad = associatedData(located.tenant, located.id, STREAM_VERSION);
    return { size, plaintext: damagedAsStorageFailed(openChunks(rest, located.encKey, aad)), cancel: answer.cancel };
  }
  // A value stored whole: it fits one answer, and is opened whole.
  if (length < VALUE_OVERHEAD) {
    answer.cancel();
    throw new StorageFailedError(DAMAGED);
  }
  return {
    size: length - VALUE_OVERHEAD,
    plaintext: (async function* () {
      const value = new Uint8Array(length);
      let at = 0;
      for await (const chunk of rest) {
        if (at + chunk.length > length) throw new StorageFailedError(DAMAGED);
        value.set(chunk, at);
        at += chunk.length;
      }
      const payload = at === length ? open(located.encKey, associatedData(located.tenant, located.id), value) : null;
      if (!payload) throw new StorageFailedError(DAMAGED);
      for (let i = 0; i < payload.length || i === 0; i += DEFAULT_CHUNK) yield payload.subarray(i, i + DEFAULT_CHUNK);
    })(),
    cancel: answer.cancel,
  };
}

async function* damagedAsStorageFailed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (error) {
    if (error instanceof DamagedStreamError) throw new StorageFailedError(DAMAGED, { cause: error });
    throw error;
  }
}

function missAsNotFound(error: unknown): never {
  if (error instanceof NotFoundError) throw new NotFoundError(MISS);
  throw error;
}

/**
 * Reads storage's answer to `get`: a value stored whole, or the length of
 * one stored as a stream.
 *
 * @param answer The body of the answer.
 * @returns The value, or the streamed value's length.
 */
export function storedValue(answer: unknown): { value: Uint8Array } | { streamed: number } {
  return readAnswer(STORAGE_ROLE, "get", () => {
    const fields: Fields = expectFields(answer);
    if (fields.streamed !== undefined) return { streamed: expectInteger(fields, "streamed", 0, Number.MAX_SAFE_INTEGER) };
    return { value: expectBytes(fields, "value") };
  });
}
