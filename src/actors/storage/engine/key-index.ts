/**
 * The in-memory index from 32-byte keys to record locations: open
 * addressing with linear probing in typed arrays (48 bytes a slot, no
 * object per record), split in 256 shards that grow one at a time so that
 * growing never holds two copies of the whole table.
 *
 * @module
 */
import { KEY_LENGTH } from "./record.ts";

/** Where a record lives. */
export interface Location {
  /** Segment id; never 0. */
  segment: number;
  /** Offset of the record in its segment file. */
  offset: number;
  /** Length of the whole record, header included. */
  length: number;
}

const SHARD_BITS = 8;
const INITIAL_SLOTS = 16;
const MAX_LOAD = 0.75;

class Shard {
  keys: Uint8Array;
  segments: Uint32Array;
  offsets: Float64Array;
  lengths: Uint32Array;
  mask: number;
  count = 0;

  constructor(slots: number) {
    this.keys = new Uint8Array(slots * KEY_LENGTH);
    this.segments = new Uint32Array(slots);
    this.offsets = new Float64Array(slots);
    this.lengths = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  get bytes(): number {
    return (this.mask + 1) * (KEY_LENGTH + 4 + 8 + 4);
  }

  /** The slot holding the key at `at`, or the free slot where it would go, as `~slot`. */
  find(key: Uint8Array, at: number, hash: number): number {
    const { keys, segments, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      if (segments[slot] === 0) return ~slot;
      const base = slot * KEY_LENGTH;
      let same = true;
      for (let i = 0; i < KEY_LENGTH; i++) {
        if (keys[base + i] !== key[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }
}

/** A map from 32-byte keys to {@link Location}s in typed arrays. */
export class KeyIndex {
  #shards: Shard[] = Array.from({ length: 1 << SHARD_BITS }, () => new Shard(INITIAL_SLOTS));
  #size = 0;
  #bytes = (1 << SHARD_BITS) * new Shard(1).bytes * INITIAL_SLOTS;
  #peakBytes = this.#bytes;

  /** Keys in the index. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the index's arrays take now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The most bytes the index's arrays ever took at once, growth included. */
  get peakBytes(): number {
    return this.#peakBytes;
  }

  /**
   * Makes room for about `keys` keys in all, so that loading them does not
   * grow the shards step by step.
   *
   * @param keys Expected number of keys.
   */
  reserve(keys: number): void {
    const perShard = keys / (1 << SHARD_BITS) / MAX_LOAD;
    let slots = INITIAL_SLOTS;
    while (slots < perShard) slots *= 2;
    for (let i = 0; i < this.#shards.length; i++) {
      if (this.#shards[i]!.mask + 1 < slots) this.#grow(i, slots);
    }
  }

  /**
   * Looks a key up.
   *
   * @param key Holds the key.
   * @param out Receives the location when found.
   * @param at Where the key starts in `key`. @default 0
   * @returns Whether the key is present.
   */
  get(key: Uint8Array, out: Location, at = 0): boolean {
    const hash = hashKey(key, at);
    const shard = this.#shards[hash >>> (32 - SHARD_BITS)]!;
    const slot = shard.find(key, at, hash);
    if (slot < 0) return false;
    out.segment = shard.segments[slot]!;
    out.offset = shard.offsets[slot]!;
    out.length = shard.lengths[slot]!;
    return true;
  }

  /**
   * Sets a key's location.
   *
   * @param key Holds the key.
   * @param location Its new location.
   * @param previous Receives the location it replaces, if any.
   * @param at Where the key starts in `key`. @default 0
   * @returns Whether the key was present before.
   */
  set(key: Uint8Array, location: Location, previous?: Location, at = 0): boolean {
    const hash = hashKey(key, at);
    const index = hash >>> (32 - SHARD_BITS);
    let shard = this.#shards[index]!;
    let slot = shard.find(key, at, hash);
    const existed = slot >= 0;
    if (existed) {
      if (previous) {
        previous.segment = shard.segments[slot]!;
        previous.offset = shard.offsets[slot]!;
        previous.length = shard.lengths[slot]!;
      }
    } else {
      if (shard.count + 1 > (shard.mask + 1) * MAX_LOAD) {
        shard = this.#grow(index);
        slot = shard.find(key, at, hash);
      }
      slot = ~slot;
      const base = slot * KEY_LENGTH;
      for (let i = 0; i < KEY_LENGTH; i++) shard.keys[base + i] = key[at + i]!;
      shard.count++;
      this.#size++;
    }
    shard.segments[slot] = location.segment;
    shard.offsets[slot] = location.offset;
    shard.lengths[slot] = location.length;
    return existed;
  }

  /**
   * Removes a key.
   *
   * @param key Holds the key.
   * @param previous Receives the location it had, if any.
   * @param at Where the key starts in `key`. @default 0
   * @returns Whether the key was present.
   */
  delete(key: Uint8Array, previous?: Location, at = 0): boolean {
    const hash = hashKey(key, at);
    const shard = this.#shards[hash >>> (32 - SHARD_BITS)]!;
    const slot = shard.find(key, at, hash);
    if (slot < 0) return false;
    if (previous) {
      previous.segment = shard.segments[slot]!;
      previous.offset = shard.offsets[slot]!;
      previous.length = shard.lengths[slot]!;
    }
    removeSlot(shard, slot);
    shard.count--;
    this.#size--;
    return true;
  }

  /**
   * Collects the keys whose record lives in one of some segments.
   *
   * @param segments Segment ids.
   * @returns Copies of the keys.
   */
  keysIn(segments: ReadonlySet<number>): Uint8Array[] {
    const found: Uint8Array[] = [];
    for (const shard of this.#shards) {
      for (let slot = 0; slot <= shard.mask; slot++) {
        const segment = shard.segments[slot]!;
        if (segment !== 0 && segments.has(segment)) {
          found.push(shard.keys.slice(slot * KEY_LENGTH, (slot + 1) * KEY_LENGTH));
        }
      }
    }
    return found;
  }

  #grow(index: number, slots = (this.#shards[index]!.mask + 1) * 2): Shard {
    const old = this.#shards[index]!;
    const grown = new Shard(slots);
    this.#peakBytes = Math.max(this.#peakBytes, this.#bytes + grown.bytes);
    for (let slot = 0; slot <= old.mask; slot++) {
      if (old.segments[slot] === 0) continue;
      const key = old.keys.subarray(slot * KEY_LENGTH, (slot + 1) * KEY_LENGTH);
      const to = ~grown.find(key, 0, hashKey(old.keys, slot * KEY_LENGTH));
      grown.keys.set(key, to * KEY_LENGTH);
      grown.segments[to] = old.segments[slot]!;
      grown.offsets[to] = old.offsets[slot]!;
      grown.lengths[to] = old.lengths[slot]!;
    }
    grown.count = old.count;
    this.#shards[index] = grown;
    this.#bytes += grown.bytes - old.bytes;
    return grown;
  }
}

// Backward-shift deletion keeps probe sequences intact without tombstones.
function removeSlot(shard: Shard, hole: number): void {
  const { keys, segments, offsets, lengths, mask } = shard;
  for (let next = (hole + 1) & mask; segments[next] !== 0; next = (next + 1) & mask) {
    const home = hashKey(keys, next * KEY_LENGTH) & mask;
    if (((next - home) & mask) >= ((next - hole) & mask)) {
      keys.copyWithin(hole * KEY_LENGTH, next * KEY_LENGTH, (next + 1) * KEY_LENGTH);
      segments[hole] = segments[next]!;
      offsets[hole] = offsets[next]!;
      lengths[hole] = lengths[next]!;
      hole = next;
    }
  }
  segments[hole] = 0;
}

// Locators are HKDF output, so any mix of their words spreads well; this one
// also spreads keys that differ in a single byte, as tests use.
function hashKey(bytes: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + KEY_LENGTH; i += 4) {
    h = Math.imul(h ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
