/**
 * Settings of the storage actor: where and how it keeps records. Every
 * default is read from the option it sets, where the engine declares it.
 * A setting added here and named in `commands/storage.ts` is taken by
 * `strongroom storage` and handed on by `strongroom up`.
 *
 * @module
 */
import { ENGINE_DEFAULTS } from "../actors/storage/mod.ts";
import { integer, text } from "./_setting-parsers.ts";
import { setting } from "./setting.ts";

/** The storage actor's settings by name. */
export const STORAGE_SETTINGS = {
  data: setting({ name: "data", flag: "data", placeholder: "DIR", env: "STRONGROOM_DATA", file: true, fallback: "./data", summary: "data directory of the storage actor", parse: text() }),
  segmentBytes: setting({ name: "segmentBytes", env: "STRONGROOM_SEGMENT_BYTES", file: true, fallback: ENGINE_DEFAULTS.segmentBytes, summary: "size at which the storage actor starts a new segment file, in bytes", parse: integer(1024, 2 ** 40) }),
  compactBytes: setting({ name: "compactBytes", env: "STRONGROOM_COMPACT_BYTES", file: true, fallback: ENGINE_DEFAULTS.compactDeadBytes, summary: "dead bytes in sealed segments that start a compaction", parse: integer(0, 2 ** 40) }),
};
