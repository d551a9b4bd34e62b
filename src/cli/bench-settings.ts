/**
 * Settings of `strongroom bench`: which steps it runs and for how long.
 *
 * @module
 */
import { DEFAULT_MAX_BATCH } from "../protocol/wire/mod.ts";
import { integer, list, parseSize, positiveInteger, size } from "./_setting-parsers.ts";
import { setting } from "./setting.ts";

/** The benchmark's settings by name. */
export const BENCH_SETTINGS = {
  sizes: setting({ name: "sizes", flag: "sizes", placeholder: "SIZES", file: true, fallback: [64, 1024, 65_536, 1024 ** 2, 16 * 1024 ** 2], shownDefault: "64,1k,64k,1m,16m", summary: "payload sizes", parse: list(parseSize, "sizes such as 64, 1k or 16m") }),
  inFlight: setting({ name: "inFlight", flag: "in-flight", placeholder: "NS", file: true, fallback: [1, 16, 256], summary: "requests in flight of each step", parse: list(positiveInteger, "positive integers") }),
  duration: setting({ name: "duration", flag: "duration", placeholder: "MS", file: true, fallback: 3000, summary: "measured time of each step, in ms", parse: integer(100, 3_600_000) }),
  warmup: setting({ name: "warmup", flag: "warmup", placeholder: "MS", file: true, fallback: 1000, summary: "warm-up before each step, in ms", parse: integer(0, 600_000) }),
  batch: setting({ name: "batch", flag: "batch", placeholder: "N", file: true, fallback: 100, summary: "items per storeMany/retrieveMany step (0: no batch steps)", parse: integer(0, DEFAULT_MAX_BATCH) }),
  batchSize: setting({ name: "batchSize", flag: "batch-size", placeholder: "SIZE", file: true, fallback: 1024, shownDefault: "1k", summary: "payload size of each batch item", parse: size(16 * 1024 ** 2) }),
};
