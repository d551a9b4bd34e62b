/**
 * The table of settings: for each, its flag, environment variable, whether a
 * config file may set it, its default, and how its value is checked. Adding
 * a setting means adding a row here and a field to `Settings`.
 *
 * @module
 */
import { DEFAULT_MAX_BATCH } from "../protocol/wire/mod.ts";
import { bool, integer, list, parseSize, positiveInteger, size, text } from "./_setting-parsers.ts";
import { BROKER_SETTING_SPECS } from "./broker-settings.ts";
import { isLogLevel, LOG_LEVELS } from "./console-logger.ts";
import { isRuntime, RUNTIMES } from "./runtime.ts";

export { type Invalid, parseSize } from "./_setting-parsers.ts";

/** One setting of the command line. */
export interface SettingSpec {
  /** Name in `Settings` and in the config file. */
  readonly name: string;
  /** The flag, without its dashes; none when absent. */
  readonly flag?: string;
  /** One-letter flag alias. */
  readonly short?: string;
  /** Whether the flag takes no value. */
  readonly boolean?: boolean;
  /** The environment variable. */
  readonly env?: string;
  /** Whether the config file may set it. */
  readonly file: boolean;
  /** Value when no source sets it. */
  readonly fallback: unknown;
  /** One line for `--help`. */
  readonly summary: string;
  /** Checks and converts a value from a flag, the environment (strings) or the file (JSON). */
  parse(value: unknown): unknown;
}

/** Every setting, in the order `--help` lists them. */
export const SETTING_SPECS: readonly SettingSpec[] = [
  {
    name: "url",
    flag: "url",
    env: "STRONGROOM_URL",
    file: true,
    fallback: undefined,
    summary: "broker URL to connect to (default ws://<host>:<port>)",
    parse: text((v) => (/^wss?:\/\/[^\s/]+/.test(v) ? undefined : `expected a ws:// or wss:// URL, got ${JSON.stringify(v)}`)),
  },
  { name: "host", flag: "host", env: "STRONGROOM_HOST", file: true, fallback: "127.0.0.1", summary: "interface the broker listens on", parse: text() },
  { name: "port", flag: "port", env: "STRONGROOM_PORT", file: true, fallback: 7070, summary: "port the broker listens on (0: any free port)", parse: integer(0, 65_535) },
  { name: "data", flag: "data", env: "STRONGROOM_DATA", file: true, fallback: "./data", summary: "data directory of the storage actor", parse: text() },
  { name: "token", flag: "token", env: "STRONGROOM_TOKEN", file: true, fallback: undefined, summary: "client token", parse: text() },
  {
    name: "actorSecret",
    env: "STRONGROOM_ACTOR_SECRET",
    file: false,
    fallback: undefined,
    summary: "secret the broker and actors share (environment only)",
    parse: text((v) => (v.length >= 16 ? undefined : "expected at least 16 characters")),
  },
  { name: "segmentBytes", env: "STRONGROOM_SEGMENT_BYTES", file: true, fallback: 64 * 1024 ** 2, summary: "storage: size of a segment file, in bytes", parse: integer(1024, 2 ** 40) },
  { name: "compactBytes", env: "STRONGROOM_COMPACT_BYTES", file: true, fallback: 64 * 1024 ** 2, summary: "storage: dead bytes that start a compaction", parse: integer(0, 2 ** 40) },
  { name: "encryptors", flag: "encryptors", env: "STRONGROOM_ENCRYPTORS", file: true, fallback: 1, summary: "encryptor processes `up` starts", parse: integer(1, 64) },
  {
    name: "runtime",
    flag: "runtime",
    env: "STRONGROOM_RUNTIME",
    file: true,
    fallback: undefined,
    summary: "runtime of the parts `up` starts: node or deno (default: the launcher's own)",
    parse: text((v) => (isRuntime(v) ? undefined : `expected one of ${RUNTIMES.map((r) => `"${r}"`).join(", ")}, got "${v}"`)),
  },
  { name: "timeout", flag: "timeout", env: "STRONGROOM_TIMEOUT", file: true, fallback: 10_000, summary: "time budget of a call, in ms", parse: integer(1, 2_147_483_647) },
  {
    name: "log",
    flag: "log",
    env: "STRONGROOM_LOG",
    file: true,
    fallback: "info",
    summary: `least severe log line a part writes: ${LOG_LEVELS.join(", ")}`,
    parse: text((v) => (isLogLevel(v) ? undefined : `expected one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")}, got "${v}"`)),
  },
  { name: "config", flag: "config", env: "STRONGROOM_CONFIG", file: false, fallback: undefined, summary: "JSON config file (default ./strongroom.json if present)", parse: text() },
  ...BROKER_SETTING_SPECS,
  { name: "sizes", flag: "sizes", file: true, fallback: [64, 1024, 65_536, 1024 ** 2, 16 * 1024 ** 2], summary: "bench: payload sizes (64,1k,64k,1m,16m)", parse: list(parseSize, "sizes such as 64, 1k or 16m") },
  { name: "inFlight", flag: "in-flight", file: true, fallback: [1, 16, 256], summary: "bench: requests in flight (1,16,256)", parse: list(positiveInteger, "positive integers") },
  { name: "duration", flag: "duration", file: true, fallback: 3000, summary: "bench: measured time of each step, in ms", parse: integer(100, 3_600_000) },
  { name: "warmup", flag: "warmup", file: true, fallback: 1000, summary: "bench: warm-up before each step, in ms", parse: integer(0, 600_000) },
  { name: "batch", flag: "batch", file: true, fallback: 100, summary: "bench: items per storeMany/retrieveMany step (0: no batch steps)", parse: integer(0, DEFAULT_MAX_BATCH) },
  { name: "batchSize", flag: "batch-size", file: true, fallback: 1024, summary: "bench: payload size of each batch item (1k)", parse: size(16 * 1024 ** 2) },
  { name: "json", flag: "json", boolean: true, file: false, fallback: false, summary: "errors as JSON (and the output of status and bench)", parse: bool },
  { name: "help", flag: "help", short: "h", boolean: true, file: false, fallback: false, summary: "show help", parse: bool },
];
