/**
 * Saved contexts: named sets of the settings a client needs to reach one
 * service (its URL, the file of its token, the certificates to trust, a
 * time budget), so that they need not be typed every time. Each is a JSON
 * file in `$XDG_CONFIG_HOME/strongroom/contexts/` (`~/.config/…` when the
 * variable is not set), readable by its owner alone; the file `current`
 * beside that folder names the context used when none is given.
 *
 * @module
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileProblem, LocalFileError, UsageError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

/** The settings a context holds, by their names in the settings table. */
export const CONTEXT_SETTINGS = ["url", "tokenFile", "tlsCa", "timeout"] as const;

/** What a context holds. */
export type ContextValues = Partial<Record<(typeof CONTEXT_SETTINGS)[number], string | number>>;

/** Settings whose values are paths, kept absolute so that a context works from any directory. */
const PATHS = new Set(["tokenFile", "tlsCa"]);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The folder of the command line's own files.
 *
 * @param env The environment.
 * @returns `$XDG_CONFIG_HOME/strongroom`, or `~/.config/strongroom`.
 */
export function configDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), ".config");
  return join(base, "strongroom");
}

function contextsDir(env: Env): string {
  return join(configDir(env), "contexts");
}

function checkName(name: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(`Invalid context name "${name}": use letters, digits, ".", "_" and "-", up to 64, beginning with a letter or digit`);
  }
  return name;
}

/**
 * The names of the saved contexts, sorted.
 *
 * @param env The environment.
 * @returns The names.
 */
export function listContexts(env: Env): string[] {
  try {
    return readdirSync(contextsDir(env))
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.slice(0, -".json".length))
      .filter((name) => NAME.test(name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The name of the current context, if one was chosen and still exists.
 *
 * @param env The environment.
 * @returns The name, or `undefined`.
 */
export function currentContext(env: Env): string | undefined {
  let name: string;
  try {
    name = readFileSync(join(configDir(env), "current"), "utf8").trim();
  } catch {
    return undefined;
  }
  return listContexts(env).includes(name) ? name : undefined;
}

/**
 * Reads a saved context.
 *
 * @param name Its name.
 * @param env The environment.
 * @returns What it holds.
 * @throws {UsageError} When there is no such context.
 * @throws {LocalFileError} When its file cannot be read.
 */
export function readContext(name: string, env: Env): ContextValues {
  checkName(name);
  const known = listContexts(env);
  if (!known.includes(name)) {
    const list = known.length > 0 ? `the saved ones are ${known.join(", ")}` : 'none is saved yet: save one with "strongroom context save NAME --url …"';
    throw new UsageError(`Unknown context "${name}"${didYouMean(name, known)}: ${list}`);
  }
  const path = join(contextsDir(env), `${name}.json`);
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`Cannot read context "${name}" in "${path}": not valid JSON; save it again`);
    throw new LocalFileError(`Cannot read context "${name}" in "${path}": ${fileProblem(error)}`, { cause: error });
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw new UsageError(`Cannot read context "${name}" in "${path}": not a JSON object; save it again`);
  const held: ContextValues = {};
  for (const key of CONTEXT_SETTINGS) {
    const value = (values as Record<string, unknown>)[key];
    if (typeof value === "string" || typeof value === "number") held[key] = value;
  }
  return held;
}

/**
 * Saves a context, replacing one of that name, in a file readable by this user alone.
 *
 * @param name Its name.
 * @param values What it holds; paths are made absolute.
 * @param env The environment.
 * @returns The file it was written to.
 * @throws {UsageError} When the name is invalid.
 * @throws {LocalFileError} When the file cannot be written.
 */
export function saveContext(name: string, values: ContextValues, env: Env): string {
  checkName(name);
  const held: ContextValues = {};
  for (const key of CONTEXT_SETTINGS) {
    const value = values[key];
    if (value !== undefined) held[key] = PATHS.has(key) ? resolve(String(value)) : value;
  }
  const dir = contextsDir(env);
  const path = join(dir, `${name}.json`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(configDir(env), 0o700);
    chmodSync(dir, 0o700);
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, `${JSON.stringify(held, null, 2)}\n`, { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  } catch (error) {
    throw new LocalFileError(`Cannot save context "${name}" in "${path}": ${fileProblem(error)}`, { cause: error });
  }
  return path;
}

/**
 * Makes a context the current one.
 *
 * @param name Its name.
 * @param env The environment.
 * @throws {UsageError} When there is no such context.
 */
export function useContext(name: string, env: Env): void {
  readContext(name, env);
  const path = join(configDir(env), "current");
  try {
    writeFileSync(path, `${name}\n`, { mode: 0o600 });
  } catch (error) {
    throw new LocalFileError(`Cannot write "${path}": ${fileProblem(error)}`, { cause: error });
  }
}

/**
 * Removes a context; when it was the current one, none is current after.
 *
 * @param name Its name.
 * @param env The environment.
 * @throws {UsageError} When there is no such context.
 */
export function removeContext(name: string, env: Env): void {
  readContext(name, env);
  const wasCurrent = currentContext(env) === name;
  rmSync(join(contextsDir(env), `${name}.json`), { force: true });
  if (wasCurrent) rmSync(join(configDir(env), "current"), { force: true });
}
