/**
 * The keydir: the index of live records together with the open segments and
 * the byte counts that `stats` and the compaction trigger need. Recovery,
 * the commit log and compaction all change it through these methods.
 *
 * @module
 */
import { KeyIndex, type Location } from "./key-index.ts";
import type { Segment } from "./segment.ts";
import { SEGMENT_HEADER } from "./segment-file.ts";

/** The live records and the segments holding them. */
export class Keydir {
  /** Locations of live records. */
  readonly index = new KeyIndex();
  /** Open segments by id. */
  readonly segments = new Map<number, Segment>();
  /** Bytes of live records. */
  liveBytes = 0;
  #previous: Location = { segment: 0, offset: 0, length: 0 };
  #location: Location = { segment: 0, offset: 0, length: 0 };

  /**
   * Records that a key's value now lives at a location.
   *
   * @param key Holds the key.
   * @param segment Segment id.
   * @param offset Offset of the record.
   * @param length Length of the record.
   * @param keyAt Where the key starts in `key`. @default 0
   */
  put(key: Uint8Array, segment: number, offset: number, length: number, keyAt = 0): void {
    const location = this.#location;
    location.segment = segment;
    location.offset = offset;
    location.length = length;
    if (this.index.set(key, location, this.#previous, keyAt)) this.#bury(this.#previous);
    this.liveBytes += length;
  }

  /**
   * Records that a key was deleted by a tombstone.
   *
   * @param key Holds the key.
   * @param segment Segment of the tombstone.
   * @param length Length of the tombstone.
   * @param keyAt Where the key starts in `key`. @default 0
   * @returns Whether the key was live.
   */
  remove(key: Uint8Array, segment: number, length: number, keyAt = 0): boolean {
    this.#addDead(segment, length);
    if (!this.index.delete(key, this.#previous, keyAt)) return false;
    this.#bury(this.#previous);
    return true;
  }

  /**
   * Drops a key whose record was lost, without a tombstone.
   *
   * @param key The key.
   */
  forget(key: Uint8Array): void {
    if (this.index.delete(key, this.#previous)) this.#bury(this.#previous);
  }

  /**
   * Looks a key up.
   *
   * @param key Holds the key.
   * @param out Receives the location.
   * @param keyAt Where the key starts in `key`. @default 0
   * @returns Whether the key is live.
   */
  locate(key: Uint8Array, out: Location, keyAt = 0): boolean {
    return this.index.get(key, out, keyAt);
  }

  /**
   * Sums the dead bytes of segments.
   *
   * @param skip A segment left out (the one being written). @default undefined
   * @returns Dead bytes, and all record bytes, of the other segments.
   */
  deadBytes(skip?: Segment): { dead: number; total: number } {
    let dead = 0;
    let total = 0;
    for (const segment of this.segments.values()) {
      if (segment === skip) continue;
      dead += segment.dead;
      total += segment.size - SEGMENT_HEADER;
    }
    return { dead, total };
  }

  #bury(previous: Location): void {
    this.liveBytes -= previous.length;
    this.#addDead(previous.segment, previous.length);
  }

  #addDead(segment: number, length: number): void {
    const holder = this.segments.get(segment);
    if (holder) holder.dead += length;
  }
}
