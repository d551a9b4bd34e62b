/**
 * What a setting of the command line is: its flag, environment variable,
 * config key, default and check, declared once in a row of
 * `setting-specs.ts`. A command lists the names of the settings it reads,
 * and gets them typed (`Settings` in `setting-specs.ts`).
 *
 * @module
 */
import type { Invalid } from "./_setting-parsers.ts";

/** What a default that depends on other settings can look at. */
export interface Ambient {
  /**
   * The value of another setting as the environment or the config file
   * gives it (never a flag: flags belong to one command), else its default.
   */
  get(name: string): unknown;
}

/** One setting of the command line. */
export interface SettingSpec<N extends string = string, T = unknown> {
  /** Name in the settings a command gets, and key in the config file. */
  readonly name: N;
  /** The flag, without its dashes; none when absent. */
  readonly flag?: string;
  /** One-letter flag alias. */
  readonly short?: string;
  /** Whether the flag takes no value. */
  readonly boolean?: boolean;
  /** What the flag's value is, in help: `N`, `FILE`, `URL`, … @default "VALUE" */
  readonly placeholder?: string;
  /** The environment variable. */
  readonly env?: string;
  /** Whether the config file may set it. */
  readonly file: boolean;
  /** Value when no source sets it, or how to work it out from the others. */
  readonly fallback: T | ((ambient: Ambient) => T);
  /** The default as help and the docs show it, when it is not the value itself. @default the value */
  readonly shownDefault?: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Checks and converts a value from a flag, the environment (strings) or the file (JSON). */
  parse(value: unknown): T | Invalid;
}

/**
 * Declares a setting, inferring its name and the type of its value.
 *
 * @param spec The setting.
 * @returns The same setting.
 * @example A number with a default
 * ```ts
 * import { integer } from "./_setting-parsers.ts";
 * import { setting } from "./setting.ts";
 * const retries = setting({ name: "retries", flag: "retries", file: true, fallback: 3, summary: "attempts", parse: integer(0, 10) });
 * ```
 */
export function setting<const N extends string, T, F extends T | undefined = T>(
  spec: Omit<SettingSpec<N, T | F>, "parse" | "fallback"> & { fallback: F | ((ambient: Ambient) => F); parse(value: unknown): T | Invalid },
): SettingSpec<N, T | F> {
  return spec as SettingSpec<N, T | F>;
}

/** The type of a setting's value. */
export type ValueOf<S> = S extends SettingSpec<string, infer T> ? T : never;

/**
 * The default of a setting, worked out when it depends on others.
 *
 * @param spec The setting.
 * @param ambient The other settings as the environment and config file give them.
 * @returns The default.
 */
export function fallbackOf(spec: SettingSpec, ambient: Ambient): unknown {
  return typeof spec.fallback === "function" ? (spec.fallback as (ambient: Ambient) => unknown)(ambient) : spec.fallback;
}

/**
 * The default as help and the docs show it.
 *
 * @param spec The setting.
 * @returns The text, or `undefined` when there is no default.
 */
export function shownDefault(spec: SettingSpec): string | undefined {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  const value = spec.fallback;
  if (value === undefined || typeof value === "function" || spec.boolean) return undefined;
  return Array.isArray(value) ? value.join(",") : String(value);
}
