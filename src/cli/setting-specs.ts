/**
 * The table of settings: for each, its flag, environment variable, whether a
 * config file may set it, its default, and how its value is checked. Rows
 * are grouped by the part they belong to (`broker-settings.ts`,
 * `storage-settings.ts`, `client-settings.ts`, `bench-settings.ts`); a
 * default that an option of a part also has is read from where that part
 * declares it. Adding a setting means adding a row to its group and its
 * name to the `settings` of each command that reads it (`commands/*.ts`).
 *
 * @module
 */
import { bool, integer, oneOf, text } from "./_setting-parsers.ts";
import { BENCH_SETTINGS } from "./bench-settings.ts";
import { BROKER_SETTINGS } from "./broker-settings.ts";
import { CLIENT_SETTINGS, OUTPUT_SETTINGS } from "./client-settings.ts";
import { LOG_LEVELS } from "./console-logger.ts";
import { RUNTIMES } from "./runtime.ts";
import { setting, type SettingSpec, type ValueOf } from "./setting.ts";
import { STORAGE_SETTINGS } from "./storage-settings.ts";

export { type Invalid, parseSize } from "./_setting-parsers.ts";

const GENERAL = {
  actorSecret: setting({
    name: "actorSecret",
    env: "STRONGROOM_ACTOR_SECRET",
    file: false,
    fallback: undefined,
    summary: "secret the broker and actors share (environment only, so that it shows neither in ps nor on disk)",
    parse: text((v) => (v.length >= 16 ? undefined : "expected at least 16 characters")),
  }),
  encryptors: setting({ name: "encryptors", flag: "encryptors", placeholder: "N", env: "STRONGROOM_ENCRYPTORS", file: true, fallback: 1, summary: "encryptor processes to start", parse: integer(1, 64) }),
  runtime: setting({
    name: "runtime",
    flag: "runtime",
    placeholder: "NAME",
    env: "STRONGROOM_RUNTIME",
    file: true,
    fallback: undefined,
    shownDefault: "the launcher's own",
    summary: `runtime of the parts it starts: ${RUNTIMES.join(" or ")}`,
    parse: oneOf(RUNTIMES),
  }),
  log: setting({ name: "log", flag: "log", placeholder: "LEVEL", env: "STRONGROOM_LOG", file: true, fallback: "info", summary: `least severe log line a part writes: ${LOG_LEVELS.join(", ")}`, parse: oneOf(LOG_LEVELS) }),
  config: setting({ name: "config", flag: "config", placeholder: "FILE", env: "STRONGROOM_CONFIG", file: false, fallback: undefined, shownDefault: "./strongroom.json if present", summary: "JSON file of settings", parse: text() }),
  json: setting({ name: "json", flag: "json", boolean: true, file: false, fallback: false, summary: "errors as JSON (and the output of status and bench)", parse: bool }),
  help: setting({ name: "help", flag: "help", short: "h", boolean: true, file: false, fallback: false, summary: "show this help", parse: bool }),
};

/** Every setting of the command line, by name. */
export const SETTINGS = { ...CLIENT_SETTINGS, ...OUTPUT_SETTINGS, ...BROKER_SETTINGS, ...STORAGE_SETTINGS, ...GENERAL, ...BENCH_SETTINGS };

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;

/** The settings a command reads, typed: their names give their values. */
export type Settings<N extends SettingName> = { -readonly [K in N]: ValueOf<(typeof SETTINGS)[K]> };

/** Every setting, as a list. */
export const SETTING_SPECS: readonly SettingSpec[] = Object.values(SETTINGS);

/** Settings every command takes. */
export const COMMON_SETTINGS = ["config", "json", "help"] as const satisfies readonly SettingName[];

/**
 * Looks a setting up by name.
 *
 * @param name The name.
 * @returns The setting.
 */
export function specOf(name: SettingName): SettingSpec {
  return SETTINGS[name] as SettingSpec;
}
