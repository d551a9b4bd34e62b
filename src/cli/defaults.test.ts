import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DEFAULT_DRAIN_TIMEOUT_MS } from "../actors/runtime/mod.ts";
import { ENGINE_DEFAULTS } from "../actors/storage/mod.ts";
import { BROKER_DEFAULTS } from "../broker/mod.ts";
import { DEFAULT_TIMEOUT_MS } from "../protocol/wire/mod.ts";
import { DEFAULT_GRACE_MS } from "./broker-settings.ts";
import { DEFAULT_KILL_AFTER_MS, KILL_MARGIN_MS } from "./child.ts";
import { COMMANDS } from "./commands/mod.ts";
import { commandHelp, flagLabel } from "./help.ts";
import { fallbackOf, type SettingSpec, shownDefault } from "./setting.ts";
import { type SettingName, SETTINGS } from "./setting-specs.ts";

const NO_AMBIENT = { get: (name: string) => fallbackOf(SETTINGS[name as keyof typeof SETTINGS] as SettingSpec, NO_AMBIENT) };

/** Each setting that sets an option of a part, and that option's default where the part declares it. */
const PART_DEFAULTS: Record<string, unknown> = {
  host: BROKER_DEFAULTS.host,
  port: BROKER_DEFAULTS.port,
  heartbeat: BROKER_DEFAULTS.heartbeat,
  maxFrame: BROKER_DEFAULTS.maxFrame,
  maxId: BROKER_DEFAULTS.maxId,
  maxInFlight: BROKER_DEFAULTS.maxInFlight,
  maxConnections: BROKER_DEFAULTS.maxConnections,
  maxQueue: BROKER_DEFAULTS.maxQueue,
  maxBuffered: BROKER_DEFAULTS.maxBuffered,
  routeWarmup: BROKER_DEFAULTS.warmup,
  grace: BROKER_DEFAULTS.shutdownTimeout,
  timeout: DEFAULT_TIMEOUT_MS,
  segmentBytes: ENGINE_DEFAULTS.segmentBytes,
  compactBytes: ENGINE_DEFAULTS.compactDeadBytes,
};

/** The `@default` of each field of an options interface, as its JSDoc says it. */
function documentedDefaults(source: string, interfaceName: string): Map<string, string> {
  const body = new RegExp(`export interface ${interfaceName} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
  assert.ok(body, interfaceName);
  const found = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\?:/g)) {
    const value = /@default ([^\s*]+)/.exec(match[1]!)?.[1];
    if (value !== undefined) found.set(match[2]!, value);
  }
  return found;
}

describe("defaults", () => {
  it("of the command line are those the parts declare", () => {
    for (const [name, expected] of Object.entries(PART_DEFAULTS)) {
      assert.equal(fallbackOf(SETTINGS[name as keyof typeof SETTINGS] as SettingSpec, NO_AMBIENT), expected, name);
    }
    assert.equal(fallbackOf(SETTINGS.url as SettingSpec, NO_AMBIENT), `ws://${BROKER_DEFAULTS.host}:${BROKER_DEFAULTS.port}`);
  });

  it("of the broker's options are what their JSDoc says", () => {
    const documented = documentedDefaults(readFileSync(new URL("../broker/options.ts", import.meta.url), "utf8"), "BrokerOptions");
    for (const [name, value] of Object.entries(BROKER_DEFAULTS)) {
      assert.equal(documented.get(name), typeof value === "string" ? JSON.stringify(value) : String(value), name);
    }
  });

  it("give every part one grace period, and the launcher a longer wait before it kills one", () => {
    assert.equal(DEFAULT_GRACE_MS, BROKER_DEFAULTS.shutdownTimeout);
    assert.equal(DEFAULT_GRACE_MS, DEFAULT_DRAIN_TIMEOUT_MS);
    // A request in flight when a stop begins ends within the grace, answered or timed out.
    assert.equal(DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS);
    assert.ok(KILL_MARGIN_MS > 0);
    assert.equal(DEFAULT_KILL_AFTER_MS, DEFAULT_GRACE_MS + KILL_MARGIN_MS);
    const actor = readFileSync(new URL("../actors/runtime/actor.ts", import.meta.url), "utf8");
    assert.match(actor, new RegExp(`@default DEFAULT_DRAIN_TIMEOUT_MS \\(${DEFAULT_DRAIN_TIMEOUT_MS}\\) \\*/\\s*drainTimeout\\?:`));
  });

  it("show in every command's help beside each flag, with its variable", () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command);
      for (const name of command.settings) {
        const spec = SETTINGS[name as SettingName] as SettingSpec;
        if (!spec.flag) continue;
        const line = help.split("\n").find((l) => l.startsWith(`  ${flagLabel(spec)} `));
        assert.ok(line, `${command.name} ${flagLabel(spec)}`);
        const shown = shownDefault(spec);
        const brackets = [shown === undefined ? undefined : `default: ${shown}`, spec.env].filter(Boolean).join("; ");
        assert.ok(line.endsWith(`${spec.summary}${brackets ? ` [${brackets}]` : ""}`), line);
        if (Object.hasOwn(PART_DEFAULTS, name)) assert.ok(line.includes(`default: ${String(PART_DEFAULTS[name])}`), line);
      }
    }
  });
});
