/**
 * `storeMany` and `retrieveMany`: many records in one request to an
 * encryptor, which makes one storage request for them all. Each item gets
 * its own result, in the order of the items; one item's failure does not
 * fail the others.
 *
 * The client checks each item before sending, as the single calls do: an
 * item it can tell is invalid (id over the limit, payload over the limit,
 * key not 32 bytes) gets its error as its result and is not sent. The
 * batch as a whole must fit one frame: each item counts its id, its payload
 * (or key) and `BATCH_ITEM_OVERHEAD` bytes, and a batch whose items add up
 * to more than the broker's `maxPayload` is refused with `TOO_LARGE` before
 * anything is sent. The client never splits a batch: a split batch could
 * half succeed and then lose the keys of what was stored.
 *
 * @module
 */
import {
  batchItemBytes,
  CancelledError,
  expectBytes,
  type Fields,
  readAnswer,
  readItemResults,
  StrongroomError,
  TooLargeError,
} from "../protocol/wire/mod.ts";
import { type BytesLike, idError, KEY_LENGTH, keyError, payloadError, plain, toBytes } from "./_bytes.ts";

/** One record to store. */
export interface StoreItem {
  /** The record id (text is taken as UTF-8). */
  id: BytesLike;
  /** The bytes to keep (text is taken as UTF-8). */
  payload: BytesLike;
}

/** One record to retrieve. */
export interface RetrieveItem {
  /** The record id (text is taken as UTF-8). */
  id: BytesLike;
  /** The key `store` or `storeMany` returned. */
  key: Uint8Array;
}

/** The result of one item: its value, or the error of that item alone. */
export type ItemResult<T> = ({ ok: true } & T) | { ok: false; error: StrongroomError };

/** The result of one item of `storeMany`: its 32-byte key on success. */
export type StoreResult = ItemResult<{ key: Uint8Array }>;

/** The result of one item of `retrieveMany`: its bytes on success. */
export type RetrieveResult = ItemResult<{ payload: Uint8Array }>;

/** What a batch needs from the client it runs in. */
export interface BatchTransport {
  /** The role `call` sends to, named when its answer cannot be read. */
  readonly role: string;
  /** Sends one request to an encryptor, within the call's time budget and signal. */
  call(op: string, body: unknown): Promise<unknown>;
  /** The broker's limits, from its `welcome`. */
  readonly limits: { readonly maxId: number; readonly maxPayload: number };
  /** The call's abort signal, checked when nothing needs sending. */
  readonly signal?: AbortSignal;
}

/** An item checked and ready to send, with its place in the batch. */
interface Outgoing {
  readonly index: number;
  readonly body: Record<string, Uint8Array>;
  readonly bytes: number;
}

type Failed = { ok: false; error: StrongroomError };

/**
 * Encrypts and stores many records with one request.
 *
 * @param items The records, each `{ id, payload }`.
 * @param transport The client's request function and limits.
 * @returns One result per item, in order: `{ ok: true, key }` or `{ ok: false, error }`.
 * @throws {TypeError} When `items` is not an array or an item's id or payload is neither bytes nor text.
 * @throws {TooLargeError} When the batch does not fit one frame, or has more items than the service takes.
 * @throws {StrongroomError} A failure of the whole request (`TIMEOUT`, `UNAVAILABLE`, `CANCELLED`, …).
 * @example Storing two records
 * ```ts
 * import { connect } from "./mod.ts";
 * const client = await connect("ws://127.0.0.1:7070");
 * const results = await client.storeMany([{ id: "a", payload: "one" }, { id: "b", payload: "two" }]);
 * for (const result of results) if (result.ok) console.log(result.key.length); // 32
 * await client.close();
 * ```
 */
export function storeMany(items: readonly StoreItem[], transport: BatchTransport): Promise<StoreResult[]> {
  const { maxId, maxPayload } = transport.limits;
  return run(
    items,
    transport,
    "storeMany",
    (item) => {
      const id = toBytes(item.id);
      const payload = toBytes(item.payload);
      const invalid = idError(id, maxId) ?? payloadError(payload, maxPayload);
      if (invalid) return invalid;
      return { body: { id, payload }, bytes: batchItemBytes(id.byteLength, payload.byteLength) };
    },
    (result) => ({ ok: true, key: plain(expectBytes(result, "key", { length: KEY_LENGTH })) }),
  );
}

/**
 * Fetches and decrypts many records with one request.
 *
 * @param items The records, each `{ id, key }`.
 * @param transport The client's request function and limits.
 * @returns One result per item, in order: `{ ok: true, payload }` or `{ ok: false, error }`;
 *   a wrong key and an unknown id are the same `NotFoundError`.
 * @throws {TypeError} When `items` is not an array, an id is neither bytes nor text, or a key is not a `Uint8Array`.
 * @throws {TooLargeError} When the batch does not fit one frame, or has more items than the service takes.
 * @throws {StrongroomError} A failure of the whole request (`TIMEOUT`, `UNAVAILABLE`, `CANCELLED`, …).
 */
export function retrieveMany(items: readonly RetrieveItem[], transport: BatchTransport): Promise<RetrieveResult[]> {
  const { maxId } = transport.limits;
  return run(
    items,
    transport,
    "retrieveMany",
    (item) => {
      const id = toBytes(item.id);
      const badKey = keyError(item.key); // throws for a key that is not bytes at all
      const invalid = idError(id, maxId) ?? badKey;
      if (invalid) return invalid;
      return { body: { id, key: item.key }, bytes: batchItemBytes(id.byteLength, KEY_LENGTH) };
    },
    (result) => ({ ok: true, payload: plain(expectBytes(result, "payload")) }),
  );
}

// Checks every item, sends those that pass in one request and puts each
// answer back at its item's place.
async function run<T, R>(
  items: readonly T[],
  transport: BatchTransport,
  op: string,
  check: (item: T) => Omit<Outgoing, "index"> | StrongroomError,
  accept: (result: Fields) => R,
): Promise<(R | Failed)[]> {
  if (!Array.isArray(items)) throw new TypeError("Invalid items: expected an array");
  const results: (R | Failed)[] = new Array(items.length);
  const outgoing: Outgoing[] = [];
  let bytes = 0;
  for (const [index, item] of items.entries()) {
    if (typeof item !== "object" || item === null) throw new TypeError(`Invalid item ${index}: expected an object`);
    const checked = check(item);
    if (checked instanceof StrongroomError) {
      results[index] = { ok: false, error: checked };
      continue;
    }
    outgoing.push({ index, ...checked });
    bytes += checked.bytes;
  }
  const { maxPayload } = transport.limits;
  if (bytes > maxPayload) {
    throw new TooLargeError(
      `Cannot send a batch of ${bytes} bytes: the limit is ${maxPayload}, counting ${batchItemBytes(0, 0)} bytes an item; split it`,
    );
  }
  if (outgoing.length === 0) {
    if (transport.signal?.aborted) throw new CancelledError(`Request "${op}" was cancelled`, { cause: transport.signal.reason });
    return results;
  }
  const answer = await transport.call(op, { items: outgoing.map((o) => o.body) });
  // A malformed answer is the service's fault, not the caller's: INTERNAL, never BAD_REQUEST.
  const read = readAnswer(transport.role, op, () =>
    readItemResults(answer, outgoing.length).map((result) => (result instanceof StrongroomError ? { ok: false as const, error: result } : accept(result))));
  for (const [n, result] of read.entries()) results[outgoing[n]!.index] = result;
  return results;
}
