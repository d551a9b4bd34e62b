/**
 * Settings of the command line: each comes from a flag, else from a
 * `STRONGROOM_*` environment variable, else from its default, and is
 * validated before any part starts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BROKER_SETTING_SPECS, type BrokerSettings, readBrokerSettings } from "./broker-settings.ts";

/** Every setting the command line knows. */
export interface Settings extends BrokerSettings {
  /** Broker URL for clients and actors. */
  url: string;
  /** Interface the broker listens on. */
  host: string;
  /** Port the broker listens on. */
  port: number;
  /** Data directory of the storage actor. */
  data: string;
  /** Client token. */
  token: string | undefined;
  /** Actor secret; never taken from a flag, so that it does not show in `ps`. */
  actorSecret: string | undefined;
  /** Encryptor processes the launcher starts. */
  encryptors: number;
  /** Time budget of a call, in ms. */
  timeout: number;
  /** Machine-readable output. */
  json: boolean;
  /** Show help. */
  help: boolean;
}

/** A setting given with a value the command line cannot use. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const FLAGS = {
  url: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  data: { type: "string" },
  token: { type: "string" },
  encryptors: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(BROKER_SETTING_SPECS.map((spec) => [spec.flag, { type: "string" } as const])),
} as const;

/** Default values of the settings. */
export const DEFAULTS = {
  host: "127.0.0.1",
  port: 7070,
  data: "./data",
  encryptors: 1,
  timeout: 10_000,
} as const;

/**
 * Reads flags and environment into settings.
 *
 * @param argv Arguments after the command name.
 * @param env The environment.
 * @returns The settings and the positional arguments.
 * @throws {UsageError} When a flag is unknown or a value is invalid; the message names the setting.
 */
export function readSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { settings: Settings; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const pick = (flag: keyof typeof FLAGS, variable: string): string | undefined =>
    (values[flag] as string | undefined) ?? nonEmpty(env[variable]);

  const host = pick("host", "STRONGROOM_HOST") ?? DEFAULTS.host;
  const port = integer(pick("port", "STRONGROOM_PORT"), "port", DEFAULTS.port, 0, 65_535);
  const url = pick("url", "STRONGROOM_URL") ?? `ws://${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (!/^wss?:\/\/./.test(url)) throw new UsageError(`Invalid setting "url": expected a ws:// or wss:// URL`);
  const broker = readBrokerSettings(values, env);
  if ("invalid" in broker) throw new UsageError(broker.invalid);
  return {
    settings: {
      ...broker,
      url,
      host,
      port,
      data: pick("data", "STRONGROOM_DATA") ?? DEFAULTS.data,
      token: pick("token", "STRONGROOM_TOKEN"),
      actorSecret: nonEmpty(env.STRONGROOM_ACTOR_SECRET),
      encryptors: integer(pick("encryptors", "STRONGROOM_ENCRYPTORS"), "encryptors", DEFAULTS.encryptors, 1, 64),
      timeout: integer(pick("timeout", "STRONGROOM_TIMEOUT"), "timeout", DEFAULTS.timeout, 1, 2_147_483_647),
      json: values.json ?? false,
      help: values.help ?? false,
    },
    positionals,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function integer(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`Invalid setting "${name}": expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
