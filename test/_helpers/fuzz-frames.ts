/**
 * Hostile frames for fuzzing the broker: random bytes, well-formed CBOR of
 * the wrong shapes, valid messages mutated, lengths that promise more than
 * the frame holds, tags, deep nesting, unknown types, ids of every type,
 * bodies that are CBOR of any shape (or not CBOR at all) inside their byte
 * string, and several messages in one frame. Seeded, so that a failure can
 * be replayed.
 *
 * @module
 */
import { cbor, frame } from "./frames.ts";

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TYPES = ["req", "res", "err", "cancel", "drain", "hello", "welcome", "REQ", "", "bogus", 7, null, ["req"], { t: "req" }];
const IDS = [0, 1, 7, -1, 1.5, 2 ** 53, 2n ** 64n, Number.NaN, Number.POSITIVE_INFINITY, "", "a", "x".repeat(128), "x".repeat(129), null, true, [], {}, new Uint8Array(3), undefined];
const ROLES = ["encryptor", "storage", "$broker", "$nope", "Encryptor", "", "x".repeat(65), 5, null];
const OPS = ["store", "retrieve", "delete", "get", "put", "actors", "stats", "constructor", "__proto__", "toString", "", 3];
const TTLS = [undefined, 0, 1, -5, 0.5, 2 ** 31, 2 ** 53, "100", null];
const CODES = ["NOT_FOUND", "INTERNAL", "toString", 5, null];

/** Makes one hostile frame at a time. */
export class FuzzFrames {
  #random: () => number;

  /** @param seed Seed of the generator. */
  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  /**
   * The next frame: mostly one whose envelope the broker can read (so that
   * the connection stays open and the request is routed or refused), else
   * one of the kinds that cost the connection.
   */
  next(): Uint8Array {
    const roll = this.#random();
    if (roll < 0.6) return frame(this.#request());
    // Several messages in one frame, as peers pack them.
    if (roll < 0.75) return frame(...Array.from({ length: 2 + this.#int(6) }, () => this.#request()));
    // A body whose bytes are not CBOR at all: only the actor that decodes it can tell.
    if (roll < 0.85) return frame({ ...this.#request(), body: this.#bytes(this.#int(40)) });
    const kinds = [
      () => this.#bytes(1 + this.#int(200)),
      () => cbor(this.#value(3)),
      () => frame(this.#message()),
      // A body that is not a byte string: the envelope is at fault.
      () => cbor(this.#message()),
      () => this.#mutate(frame(this.#message())),
      () => this.#hugeLength(),
      () => this.#tagged(),
      () => new Uint8Array(1 + this.#int(5000)).fill(this.#pick([0x81, 0x9f, 0xa1, 0xbf])),
    ];
    return this.#pick(kinds)();
  }

  /** A `hello` most of the time, something else otherwise. */
  hello(): Uint8Array {
    if (this.#random() < 0.7) return frame({ t: "hello", name: "fuzz" });
    return this.#random() < 0.5 ? frame({ t: "hello", ...this.#fields() }) : this.next();
  }

  // A request or cancel with a usable id: its other fields and body are fair game.
  #request(): Record<string, unknown> {
    const id = this.#random() < 0.5 ? this.#int(64) : `r${this.#int(64)}`;
    switch (this.#int(4)) {
      case 0:
        return { t: "cancel", id };
      case 1:
        return { t: "req", id, to: this.#pick(ROLES), op: this.#pick(OPS), ttl: this.#pick(TTLS), body: this.#value(3) };
      case 2: {
        const body = { id: this.#bytes(this.#int(1100)), payload: this.#bytes(this.#int(2000)), key: this.#bytes(this.#pick([32, 32, 31, 0])) };
        return { t: "req", id, to: "encryptor", op: this.#pick(["store", "retrieve", "delete", "nope"]), body };
      }
      default:
        return { t: "req", id, to: this.#pick(["encryptor", "$broker", "storage", "nobody"]), op: this.#pick(["store", "retrieve", "actors", "stats", "get"]), body: this.#value(4), ttl: this.#pick([undefined, 1, 50, 10_000]) };
    }
  }

  #message(): Record<string, unknown> {
    const message: Record<string, unknown> = { t: this.#pick(TYPES), ...this.#fields() };
    if (this.#random() < 0.8) message.id = this.#pick(IDS);
    if (this.#random() < 0.8) message.to = this.#pick(ROLES);
    if (this.#random() < 0.8) message.op = this.#pick(OPS);
    if (this.#random() < 0.5) message.ttl = this.#pick(TTLS);
    if (this.#random() < 0.3) message.code = this.#pick(CODES);
    if (this.#random() < 0.7) message.body = this.#value(4);
    return message;
  }

  #fields(): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const name of ["token", "role", "name", "concurrency", "tenant", "message", "retryable", "maxFrame"]) {
      if (this.#random() < 0.2) fields[name] = this.#value(1);
    }
    return fields;
  }

  #value(depth: number): unknown {
    const leaves = [
      () => this.#int(2 ** 32) - 2 ** 31,
      () => this.#random() * 1e300,
      () => "s".repeat(this.#int(300)),
      () => this.#bytes(this.#int(3000)),
      () => this.#pick([true, false, null, undefined, -0, 2n ** 70n]),
    ];
    if (depth <= 0 || this.#random() < 0.4) return this.#pick(leaves)();
    if (this.#random() < 0.5) return Array.from({ length: this.#int(6) }, () => this.#value(depth - 1));
    const map: Record<string, unknown> = {};
    for (let i = this.#int(6); i > 0; i--) {
      const key = this.#pick(["id", "key", "payload", "locator", "value", "__proto__", "constructor", `k${i}`]);
      // An own property even for "__proto__", which plain assignment would take as the prototype.
      Object.defineProperty(map, key, { value: this.#value(depth - 1), enumerable: true, configurable: true, writable: true });
    }
    return map;
  }

  #mutate(frame: Uint8Array): Uint8Array {
    const bytes = Uint8Array.from(frame);
    const action = this.#int(3);
    if (action === 0) {
      for (let i = 1 + this.#int(4); i > 0; i--) bytes[this.#int(bytes.length)] = this.#int(256);
      return bytes;
    }
    if (action === 1) return bytes.subarray(0, this.#int(bytes.length));
    const out = new Uint8Array(bytes.length + 1 + this.#int(20));
    out.set(bytes);
    out.set(this.#bytes(out.length - bytes.length), bytes.length);
    return out;
  }

  // A map whose value is a string, array or map declaring up to 2^64 - 1 entries.
  #hugeLength(): Uint8Array {
    const head = this.#pick([0x5a, 0x5b, 0x7a, 0x7b, 0x9a, 0x9b, 0xba, 0xbb]);
    const size = head & 1 ? 8 : 4;
    return Uint8Array.from([0xa2, 0x61, 0x74, 0x63, 0x72, 0x65, 0x71, 0x64, 0x62, 0x6f, 0x64, 0x79, head, ...Array(size).fill(0xff), 0x01]);
  }

  // A request whose envelope holds a tag where its body should be: shared references, an object, a date, a bignum.
  #tagged(): Uint8Array {
    const body = this.#pick([
      [0xd8, 0x1c, 0x82, 0xd8, 0x1d, 0x00, 0xd8, 0x1d, 0x00],
      [0xd8, 0x1b, 0x82, 0x65, 0x45, 0x72, 0x72, 0x6f, 0x72, 0x61, 0x78],
      [0xc1, 0x1a, 0x00, 0x00, 0x00, 0x01],
      [0xc2, 0x41, 0x01],
      [0xd9, 0xdf, 0xff, 0x83, 0x00, 0x80, 0x00],
    ]);
    const prefix = cbor({ t: "req", id: 1, to: "encryptor", op: "store" });
    // Turn the 4-entry map into a 5-entry one and append "body": <tagged>.
    return Uint8Array.from([0xa5, ...prefix.subarray(1), 0x64, 0x62, 0x6f, 0x64, 0x79, ...body]);
  }

  #bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#int(256);
    return out;
  }

  #int(below: number): number {
    return Math.floor(this.#random() * below);
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)]!;
  }
}
