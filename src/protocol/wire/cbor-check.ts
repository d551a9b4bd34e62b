/**
 * A structural check of untrusted CBOR, run before the decoder builds any
 * value. It walks the bytes once without allocating and accepts only the
 * plain data model of the protocol: integers, byte and text strings, arrays,
 * maps, floats, `false`, `true`, `null` and `undefined`.
 *
 * What it accepts, the decoder of `codec.ts` decodes: the broker
 * passes bodies on after this check alone, and an actor that cannot decode
 * a frame loses its connection and every request in flight on it. So it
 * refuses what the decoder refuses: indefinite-length byte and text strings,
 * strings whose length is written in eight bytes (which no frame needs),
 * map keys that are byte strings, arrays or maps (a key becomes a property
 * name), a map whose last key has no value, and more items than the
 * decoder takes. It also refuses floats and simple values as keys, which
 * the decoder would turn into names such as `"1.5"` or `"true"` and no
 * message needs: keys are text strings or integers.
 *
 * It refuses every tag. The decoder gives tags meanings a peer must not be
 * able to choose: shared references (tags 28/29) build cycles and values
 * referenced many times, which would make re-encoding a forwarded body loop
 * or grow without bound; tag 27 constructs objects; record and packing tags
 * change how later bytes decode. It also bounds nesting, so that a frame of
 * nested arrays cannot exhaust the decoder's stack.
 *
 * @module
 */

/** Deepest nesting of arrays and maps accepted. */
export const MAX_CBOR_DEPTH = 64;

/**
 * Most elements of one array or entries of one map accepted: fewer than the
 * decoder takes (16,710,000 entries of a map), whatever the frame limit.
 */
export const MAX_CBOR_LENGTH = 16_000_000;

// The walk's state, in module variables rather than closures made per call: the check runs on every frame.
const NOTHING = new Uint8Array(0);
let src: Uint8Array = NOTHING;
let pos = 0;
let end = 0;
// Whether the walk checks only that the bytes are well-formed CBOR (see locateBodyLoosely).
let loose = false;
// Where the value of the top-level key "body" lies, found on the same walk (see locateBody).
let bodyStart = -1;
let bodyEnd = -1;
const BODY = [0x64, 0x62, 0x6f, 0x64, 0x79]; // text(4) "body"

function fail(what: string): never {
  throw new SyntaxError(`Invalid CBOR at byte ${pos}: ${what}`);
}

function argument(info: number): number {
  if (info < 24) return info;
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (size === 0) fail("reserved additional information");
  if (end - pos < size) fail("value cut short");
  let value = 0;
  for (let i = 0; i < size; i++) {
    // Lengths past 2^53 cannot fit in any frame; they only need to compare as huge.
    value = value * 256 + src[pos++]!;
  }
  return value;
}

/**
 * Checks that bytes hold exactly one CBOR value of the protocol's data model.
 *
 * @param bytes The bytes of one frame.
 * @param maxDepth Deepest nesting of arrays and maps. @default {MAX_CBOR_DEPTH}
 * @throws {SyntaxError} When the bytes are not one well-formed value, use a tag, a simple value
 *   other than `false`/`true`/`null`/`undefined`, an indefinite-length string, a string length written
 *   in eight bytes, a map key other than a text string or an integer, a map key without a value, more
 *   than {@link MAX_CBOR_LENGTH} items in one array or map, nest too deep, or declare a length past
 *   their end.
 * @example Refusing a tag
 * ```ts
 * import { checkCbor } from "./cbor-check.ts";
 * checkCbor(new Uint8Array([0xa0])); // an empty map: fine
 * try { checkCbor(new Uint8Array([0xc1, 0x00])) } catch (e) { (e as SyntaxError).message; } // tag 1
 * ```
 */
export function checkCbor(bytes: Uint8Array, maxDepth: number = MAX_CBOR_DEPTH): void {
  check(bytes, maxDepth, false);
}

function check(bytes: Uint8Array, maxDepth: number, wellFormedOnly: boolean): void {
  src = bytes;
  end = bytes.length;
  pos = 0;
  loose = wellFormedOnly;
  bodyStart = bodyEnd = -1;
  try {
    walk(maxDepth);
  } finally {
    // Not kept alive by the checker once checked.
    src = NOTHING;
  }
}

/** Where a value lies in the bytes of a frame. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Checks a frame as {@link checkCbor} does and says where the value of its
 * top-level `body` key lies, so that the broker can pass a body on as the
 * bytes it came in without decoding it.
 *
 * @param bytes The bytes of one frame.
 * @param maxDepth Deepest nesting of arrays and maps. @default {MAX_CBOR_DEPTH}
 * @returns The span of the body's value (of the last `body` key, as a decoder keeps the last),
 *   or `undefined` when the frame is not a map with a `body` key.
 * @throws {SyntaxError} As {@link checkCbor}.
 * @example Finding the body
 * ```ts
 * import { locateBody } from "./cbor-check.ts";
 * import { encode } from "./codec.ts";
 * const frame = encode({ t: "res", id: 1, body: 7 });
 * const span = locateBody(frame); // frame.subarray(span.start, span.end) holds the body, 7
 * ```
 */
export function locateBody(bytes: Uint8Array, maxDepth: number = MAX_CBOR_DEPTH): Span | undefined {
  check(bytes, maxDepth, false);
  return bodyStart < 0 ? undefined : { start: bodyStart, end: bodyEnd };
}

/**
 * Says where the value of a frame's top-level `body` key lies, as
 * {@link locateBody} does, but checks only that the frame is well-formed
 * CBOR: tags, simple values, indefinite-length strings and keys of any type
 * pass. It serves to read the envelope of a frame that {@link locateBody}
 * refused, so that a request with a bad body can be answered under its id.
 * Neither the body nor the envelope is checked: check the envelope before
 * decoding it, and refuse the body.
 *
 * @param bytes The bytes of one frame.
 * @param maxDepth Deepest nesting of arrays and maps. @default {MAX_CBOR_DEPTH}
 * @returns The span of the body's value, or `undefined` when the frame is not a map with a `body` key.
 * @throws {SyntaxError} When the bytes are not one well-formed CBOR value, nest too deep, or hold
 *   more items than the decoder takes.
 * @example Finding a body that holds a tag
 * ```ts
 * import { locateBodyLoosely } from "./cbor-check.ts";
 * import { encode } from "./codec.ts";
 * const head = encode({ t: "req", id: 1, to: "a", op: "b", body: null });
 * const frame = new Uint8Array([...head.subarray(0, -1), 0xc1, 0x00]); // body: tag 1 of 0
 * const span = locateBodyLoosely(frame); // { start: frame.length - 2, end: frame.length }
 * ```
 */
export function locateBodyLoosely(bytes: Uint8Array, maxDepth: number = MAX_CBOR_DEPTH): Span | undefined {
  check(bytes, maxDepth, true);
  return bodyStart < 0 ? undefined : { start: bodyStart, end: bodyEnd };
}

// Of each enclosing container, innermost last, kept from one walk to the next: the items it still
// expects (see `left` in walk) and whether it is a map. `depth` of them are in use.
const openLeft: number[] = [];
const openMap: boolean[] = [];

function walk(maxDepth: number): void {
  const bytes = src;
  let depth = 0;
  // Items the current container still expects; in an indefinite one, -1 less the items seen so far.
  let left = 1;
  let inMap = false;
  let bodyNext = false;
  let inBody = false;
  // Whether the last head was a tag's, whose value comes next (loose walks only).
  let tagged = false;

  for (;;) {
    while (left === 0) {
      if (depth === 0) {
        if (pos !== end) fail("bytes after the value");
        return;
      }
      depth--;
      left = openLeft[depth]!;
      inMap = openMap[depth]!;
      if (inBody && depth === 1) {
        bodyEnd = pos;
        inBody = false;
      }
    }
    if (pos >= end) fail("value cut short");
    const initial = bytes[pos++]!;
    if (initial === 0xff) {
      if (left > 0 || tagged) fail("unexpected break");
      // The decoder reads a value for every key, and a break is no value.
      if (inMap && (-1 - left) % 2 === 1) fail("map key without a value");
      left = 0;
      continue;
    }
    // Keys sit at even places of a map: counted down from an even number, or up from none.
    const isKey = inMap && (left > 0 ? left % 2 === 0 : (-1 - left) % 2 === 0);
    if (left > 0) left--;
    else if (--left < (inMap ? -1 - 2 * MAX_CBOR_LENGTH : -1 - MAX_CBOR_LENGTH)) fail(`more than ${MAX_CBOR_LENGTH} items`);
    const major = initial >> 5;
    const info = initial & 0x1f;
    tagged = false;
    if (isKey) {
      // The decoder makes every key a property name, and refuses byte strings, arrays and maps as one.
      // Floats and simple values it would turn into names like "1.5" or "true"; no message needs them.
      if (major !== 0 && major !== 1 && major !== 3 && !loose) fail("map key that is not a text string or an integer");
      if (depth === 1) bodyNext = isBodyKey(bytes, pos - 1);
    } else if (bodyNext && depth === 1) {
      bodyStart = pos - 1;
      bodyNext = false;
      inBody = true;
    }
    switch (major) {
      case 0:
      case 1:
        if (info === 31) fail("indefinite integer");
        argument(info);
        break;
      case 2:
      case 3: {
        // The decoder has no indefinite-length strings (chunks ending in a break), and its native
        // string extractor (cbor-extract) gives up on a string whose length is written in eight bytes.
        if (info === 31) {
          if (!loose) fail("indefinite-length string");
          skipChunks(major);
          break;
        }
        if (info === 27 && !loose) fail("string length written in eight bytes");
        const length = argument(info);
        if (length > end - pos) fail("string longer than the frame");
        pos += length;
        break;
      }
      case 4:
      case 5: {
        let items = -1;
        if (info !== 31) {
          const count = argument(info);
          if (count > MAX_CBOR_LENGTH) fail(`more than ${MAX_CBOR_LENGTH} items`);
          items = major === 5 ? count * 2 : count;
          // Every item takes at least one byte.
          if (items > end - pos) fail("more items declared than the frame holds");
          if (items === 0) break;
        }
        if (depth >= maxDepth) fail(`nested deeper than ${maxDepth}`);
        openLeft[depth] = left;
        openMap[depth] = inMap;
        depth++;
        left = items;
        inMap = major === 5;
        break;
      }
      case 6:
        if (!loose) fail("tags are not accepted");
        argument(info);
        // The tag and its value are one item, still to be read, and the body (if it is this) goes on.
        left++;
        tagged = true;
        continue;
      default:
        if (info >= 20 && info <= 23) break;
        if (info >= 25 && info <= 27) {
          argument(info);
          break;
        }
        if (!loose || info >= 28) fail("simple value not accepted");
        if (info === 24) argument(info);
    }
    // A value that opened no container is whole already.
    if (inBody && depth === 1) {
      bodyEnd = pos;
      inBody = false;
    }
  }
}

// The chunks of an indefinite-length string, each a definite string of its major type, then a break.
function skipChunks(major: number): void {
  for (;;) {
    if (pos >= end) fail("value cut short");
    const chunk = src[pos++]!;
    if (chunk === 0xff) return;
    if (chunk >> 5 !== major || (chunk & 0x1f) === 31) fail("invalid chunk of an indefinite string");
    const length = argument(chunk & 0x1f);
    if (length > end - pos) fail("string longer than the frame");
    pos += length;
  }
}

function isBodyKey(bytes: Uint8Array, at: number): boolean {
  if (end - at < BODY.length) return false;
  for (let i = 0; i < BODY.length; i++) if (bytes[at + i] !== BODY[i]) return false;
  return true;
}
