/**
 * The CBOR of envelopes, written and read by hand. An envelope is a map of
 * text keys to plain values (integers, floats, text, byte strings, `true`,
 * `false`, `null`): no array, no nested map, no tag, no indefinite length.
 * That is all a message needs, and it keeps reading an untrusted envelope a
 * single pass over its bytes that allocates only the values it keeps. A
 * `body` is a byte string like any other: the reader takes it as a view of
 * the frame, by its length, without looking inside.
 *
 * @module
 */

/** A plain value of an envelope. */
export type EnvelopeValue = string | number | boolean | null | Uint8Array;

/** Where an envelope is written: a buffer that grows on demand. */
export interface ByteSink {
  /** The buffer; at least `pos + n` bytes long after `reserve(n)`. */
  buf: Uint8Array;
  /** Where the next byte goes. */
  pos: number;
  /** Makes room for `n` more bytes from `pos`; may replace `buf`. */
  reserve(n: number): void;
}

/** Most keys in one envelope. */
export const MAX_ENVELOPE_KEYS = 32;
/** Longest key of an envelope, in bytes. */
const MAX_KEY_LENGTH = 32;

const MAJOR_UINT = 0;
const MAJOR_NEGINT = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_MAP = 5;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Writes the head of a data item: its major type and its length or value.
 *
 * @param sink Where to write.
 * @param major The major type, 0 to 7.
 * @param value A non-negative integer, at most 2^53 - 1.
 */
export function writeHead(sink: ByteSink, major: number, value: number): void {
  sink.reserve(9);
  const buf = sink.buf;
  let p = sink.pos;
  const m = major << 5;
  if (value < 24) buf[p++] = m | value;
  else if (value < 0x100) {
    buf[p++] = m | 24;
    buf[p++] = value;
  } else if (value < 0x10000) {
    buf[p++] = m | 25;
    buf[p++] = value >>> 8;
    buf[p++] = value;
  } else if (value < 0x1_0000_0000) {
    buf[p++] = m | 26;
    buf[p++] = value >>> 24;
    buf[p++] = value >>> 16;
    buf[p++] = value >>> 8;
    buf[p++] = value;
  } else {
    const high = Math.floor(value / 0x1_0000_0000);
    buf[p++] = m | 27;
    buf[p++] = high >>> 24;
    buf[p++] = high >>> 16;
    buf[p++] = high >>> 8;
    buf[p++] = high;
    buf[p++] = value >>> 24;
    buf[p++] = value >>> 16;
    buf[p++] = value >>> 8;
    buf[p++] = value;
  }
  sink.pos = p;
}

/**
 * Writes a text string.
 *
 * @param sink Where to write.
 * @param text The text.
 */
export function writeText(sink: ByteSink, text: string): void {
  const length = text.length;
  // Most texts of an envelope (types, keys, roles, ops, codes) are short ASCII: no encoder call.
  if (length < 24) {
    sink.reserve(1 + length);
    const buf = sink.buf;
    const start = sink.pos;
    let p = start + 1;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return writeTextSlowly(sink, text);
      buf[p++] = c;
    }
    buf[start] = (MAJOR_TEXT << 5) | length;
    sink.pos = p;
    return;
  }
  writeTextSlowly(sink, text);
}

function writeTextSlowly(sink: ByteSink, text: string): void {
  // At most 3 bytes per UTF-16 unit; the head is written once the length is known.
  const most = text.length * 3;
  sink.reserve(9 + most);
  const headSize = most < 24 ? 1 : most < 0x100 ? 2 : most < 0x10000 ? 3 : 5;
  const start = sink.pos;
  const { written } = utf8Encoder.encodeInto(text, sink.buf.subarray(start + headSize, start + headSize + most));
  const actualHead = written < 24 ? 1 : written < 0x100 ? 2 : written < 0x10000 ? 3 : 5;
  if (actualHead !== headSize) sink.buf.copyWithin(start + actualHead, start + headSize, start + headSize + written);
  writeHead(sink, MAJOR_TEXT, written);
  sink.pos = start + actualHead + written;
}

/**
 * Writes one plain value.
 *
 * @param sink Where to write.
 * @param value The value; a byte string is copied in.
 * @throws {TypeError} When the value is not a plain value.
 */
export function writeValue(sink: ByteSink, value: EnvelopeValue): void {
  switch (typeof value) {
    case "string":
      return writeText(sink, value);
    case "number":
      if (Number.isSafeInteger(value)) return value >= 0 ? writeHead(sink, MAJOR_UINT, value) : writeHead(sink, MAJOR_NEGINT, -1 - value);
      return writeFloat(sink, value);
    case "boolean":
      return writeSimple(sink, value ? 0xf5 : 0xf4);
    default:
      if (value === null) return writeSimple(sink, 0xf6);
      if (value instanceof Uint8Array) {
        writeHead(sink, MAJOR_BYTES, value.byteLength);
        sink.reserve(value.byteLength);
        sink.buf.set(value, sink.pos);
        sink.pos += value.byteLength;
        return;
      }
      throw new TypeError(`Cannot write a value of type ${typeof value} in an envelope`);
  }
}

function writeSimple(sink: ByteSink, byte: number): void {
  sink.reserve(1);
  sink.buf[sink.pos++] = byte;
}

function writeFloat(sink: ByteSink, value: number): void {
  sink.reserve(9);
  sink.buf[sink.pos] = 0xfb;
  new DataView(sink.buf.buffer, sink.buf.byteOffset + sink.pos + 1, 8).setFloat64(0, value);
  sink.pos += 9;
}

/** Bytes that are not an envelope whose end can be found: the rest of the frame is lost with it. */
export class EnvelopeError extends Error {
  /** @param message What was wrong. */
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

/** An envelope over the limit, found out before the bytes past it were decoded. */
export class EnvelopeTooLargeError extends Error {
  /**
   * @param bytes Bytes of the envelope up to where it went past the limit.
   * @param limit The limit.
   */
  constructor(bytes: number, limit: number) {
    super(`Envelope of at least ${bytes} bytes is over the limit of ${limit}`);
    this.name = "EnvelopeTooLargeError";
  }
}

/** How the reader treats one key of an envelope. */
export interface KeySpec {
  /** Its byte string's contents are counted bytes, not envelope (`body`, `chunk`). @default false */
  counted?: boolean;
  /** Its text values repeat (types, roles, ops, codes): they are kept in a cache rather than decoded every time. @default false */
  repeats?: boolean;
}

interface Key {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly counted: boolean;
  readonly repeats: boolean;
}

/** The keys an envelope may hold, compiled for the reader: keys are matched by their bytes, never decoded. */
export class EnvelopeKeys {
  #byHash = new Map<number, Key[]>();

  /** @param specs Each key the reader keeps, and how; any other key is read past and dropped. */
  constructor(specs: Readonly<Record<string, KeySpec>>) {
    for (const [name, spec] of Object.entries(specs)) {
      const bytes = utf8Encoder.encode(name);
      const hash = hashOf(bytes, 0, bytes.length);
      const key = { name, bytes, counted: spec.counted ?? false, repeats: spec.repeats ?? false };
      const bucket = this.#byHash.get(hash);
      if (bucket) bucket.push(key);
      else this.#byHash.set(hash, [key]);
    }
  }

  /** The key written at `bytes[start, start + length)`, if it is one of these. */
  find(bytes: Uint8Array, start: number, length: number): Key | undefined {
    const bucket = this.#byHash.get(hashOf(bytes, start, length));
    if (!bucket) return undefined;
    for (const key of bucket) if (sameBytes(key.bytes, bytes, start, length)) return key;
    return undefined;
  }
}

/** What {@link readEnvelope} read. */
export interface ReadEnvelope {
  /** The fields by key; keys not known are skipped. */
  readonly fields: Record<string, EnvelopeValue>;
  /** Where the next message starts. */
  readonly end: number;
  /** What is wrong with an envelope that was read to its end (a key given twice), if anything. */
  readonly problem: string | undefined;
}

// The reader's state, in module variables rather than an object made per envelope: it runs for
// every message.
let src: Uint8Array = new Uint8Array(0);
let pos = 0;

/**
 * Reads one envelope from `bytes` at `start`.
 *
 * @param bytes The frame.
 * @param start Where the envelope starts.
 * @param keys The keys to keep, and how.
 * @param maxEnvelope Most bytes of the envelope (the message less its counted byte strings'
 *   contents); a text or byte string that would take it past is never decoded.
 * @returns The fields, where the next message starts, and any problem that still let the
 *   envelope be read to its end.
 * @throws {EnvelopeError} When the bytes are not an envelope whose end can be found.
 * @throws {EnvelopeTooLargeError} When the envelope is over `maxEnvelope` bytes.
 */
export function readEnvelope(bytes: Uint8Array, start: number, keys: EnvelopeKeys, maxEnvelope: number): ReadEnvelope {
  src = bytes;
  pos = start;
  try {
    return readMap(keys, maxEnvelope);
  } finally {
    src = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

function readMap(keys: EnvelopeKeys, maxEnvelope: number): ReadEnvelope {
  const start = pos;
  const head = byte();
  if (head >> 5 !== MAJOR_MAP) throw new EnvelopeError("Message is not a CBOR map");
  const count = argument(head);
  if (count > MAX_ENVELOPE_KEYS) throw new EnvelopeError(`Message has ${count} fields, over the limit of ${MAX_ENVELOPE_KEYS}`);
  const fields: Record<string, EnvelopeValue> = {};
  let counted = 0;
  let problem: string | undefined;
  for (let i = 0; i < count; i++) {
    const keyHead = byte();
    if (keyHead >> 5 !== MAJOR_TEXT) throw new EnvelopeError("Invalid message: keys must be text strings");
    const keyLength = argument(keyHead);
    if (keyLength > MAX_KEY_LENGTH) throw new EnvelopeError(`Invalid message: a key is longer than ${MAX_KEY_LENGTH} bytes`);
    const keyStart = pos;
    span(keyLength);
    const key = keys.find(src, keyStart, keyLength);
    const valueHead = byte();
    const major = valueHead >> 5;
    let value: EnvelopeValue;
    if (major === MAJOR_BYTES || major === MAJOR_TEXT) {
      const length = argument(valueHead);
      const isCounted = major === MAJOR_BYTES && key !== undefined && key.counted;
      // A string that would take the envelope past its limit is never read.
      if (!isCounted && pos + length - start - counted > maxEnvelope) {
        throw new EnvelopeTooLargeError(pos + length - start - counted, maxEnvelope);
      }
      const at = pos;
      span(length);
      if (isCounted) counted += length;
      if (!key) continue;
      value = major === MAJOR_BYTES ? src.subarray(at, at + length) : key.repeats ? cachedText(at, length) : text(at, length);
    } else {
      const read = scalar(valueHead);
      if (read === undefined) throw new EnvelopeError(`Invalid field "${key ? key.name : keyText(keyStart, keyLength)}": expected a plain value`);
      if (pos - start - counted > maxEnvelope) throw new EnvelopeTooLargeError(pos - start - counted, maxEnvelope);
      if (!key) continue;
      value = read;
    }
    if (Object.hasOwn(fields, key.name)) problem ??= `Invalid message: field "${key.name}" appears twice`;
    fields[key.name] = value;
  }
  if (pos - start - counted > maxEnvelope) throw new EnvelopeTooLargeError(pos - start - counted, maxEnvelope);
  return { fields, end: pos, problem };
}

function byte(): number {
  if (pos >= src.length) throw new EnvelopeError("Frame is not valid CBOR: it ends inside a message");
  return src[pos++]!;
}

// The length or value that follows an initial byte.
function argument(head: number): number {
  const info = head & 0x1f;
  if (info < 24) return info;
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (size === 0) throw new EnvelopeError("Frame is not valid CBOR: indefinite or reserved length");
  if (pos + size > src.length) throw new EnvelopeError("Frame is not valid CBOR: it ends inside a message");
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + src[pos++]!;
  if (value > Number.MAX_SAFE_INTEGER) throw new EnvelopeError("Frame is not valid CBOR: a number too large to hold");
  return value;
}

function span(length: number): void {
  if (length > src.length - pos) throw new EnvelopeError("Frame is not valid CBOR: it ends inside a message");
  pos += length;
}

// A value that is neither a byte nor a text string: an integer, a float, true, false or null;
// undefined for anything else (an array, a map, a tag).
function scalar(head: number): EnvelopeValue | undefined {
  switch (head >> 5) {
    case MAJOR_UINT:
      return argument(head);
    case MAJOR_NEGINT:
      return -1 - argument(head);
    case 7:
      switch (head) {
        case 0xf4:
          return false;
        case 0xf5:
          return true;
        case 0xf6:
        case 0xf7:
          return null;
        case 0xf9:
          return float(2);
        case 0xfa:
          return float(4);
        case 0xfb:
          return float(8);
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

function float(size: 2 | 4 | 8): number {
  span(size);
  const view = new DataView(src.buffer, src.byteOffset + pos - size, size);
  if (size === 4) return view.getFloat32(0);
  if (size === 8) return view.getFloat64(0);
  const half = view.getUint16(0);
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function text(at: number, length: number): string {
  if (length <= 32) {
    let result = "";
    for (let i = at; i < at + length; i++) {
      const c = src[i]!;
      if (c >= 0x80) return utf8(at, length);
      result += String.fromCharCode(c);
    }
    return result;
  }
  return utf8(at, length);
}

function utf8(at: number, length: number): string {
  try {
    return utf8Decoder.decode(src.subarray(at, at + length));
  } catch {
    throw new EnvelopeError("Frame is not valid CBOR: a text string is not UTF-8");
  }
}

// Texts that repeat, by hash: a slot holds the last text seen with its hash.
const CACHE_SLOTS = 1024;
const cacheBytes: (Uint8Array | undefined)[] = new Array(CACHE_SLOTS);
const cacheTexts: string[] = new Array(CACHE_SLOTS);
const MAX_CACHED = 32;

function cachedText(at: number, length: number): string {
  if (length > MAX_CACHED) return text(at, length);
  const slot = hashOf(src, at, length) & (CACHE_SLOTS - 1);
  const bytes = cacheBytes[slot];
  if (bytes && sameBytes(bytes, src, at, length)) return cacheTexts[slot]!;
  const value = text(at, length);
  cacheBytes[slot] = src.slice(at, at + length);
  cacheTexts[slot] = value;
  return value;
}

// FNV-1a over the bytes.
function hashOf(bytes: Uint8Array, at: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = at; i < at + length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

function sameBytes(expected: Uint8Array, bytes: Uint8Array, at: number, length: number): boolean {
  if (expected.length !== length) return false;
  for (let i = 0; i < length; i++) if (expected[i] !== bytes[at + i]) return false;
  return true;
}

// A key's text for an error message: what it is when printable, else its length.
function keyText(at: number, length: number): string {
  let key: string;
  try {
    key = utf8Decoder.decode(src.subarray(at, at + length));
  } catch {
    return `(${length} bytes)`;
  }
  return /^[\x20-\x7e]*$/.test(key) ? key : `(${length} bytes)`;
}

/**
 * The most bytes a message can take once written: exact for integers,
 * booleans and byte strings, generous for text (three bytes a character).
 * Enough to know, before writing it, that a message fits a frame.
 *
 * @param message A message: a map of plain values.
 * @returns An upper bound of its size in bytes.
 */
export function messageSizeBound(message: object): number {
  const fields = message as Record<string, unknown>;
  let size = 1;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    size += 1 + key.length * 3 + 4;
    if (typeof value === "string") size += value.length * 3 + 5;
    else if (value instanceof Uint8Array) size += value.byteLength + 9;
    else size += 9;
  }
  return size;
}
